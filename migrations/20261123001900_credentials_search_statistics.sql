-- Award-history search filters with `recipient_search LIKE '%term%'` and sorts by issued_at.
-- PostgreSQL estimates an unanchored LIKE by running the pattern over the column's histogram;
-- with the default 100 entries a 0.5 % term is estimated at 0.01 %, so the planner sorts
-- thousands of trigram matches instead of walking `credentials_issued_idx` newest-first and
-- stopping after one page. A 3,000-entry histogram gets common and rare terms right for
-- ~1 ms of planning. (Migration 20261123001800's toast_tuple_target only affects rows over
-- 2 KB, i.e. credentials with large embedded images; it is kept for those.)
alter table credentials alter column recipient_search set statistics 3000;
