-- Keep the columns that award-history search filters and sorts on dense: the signed
-- credential JSON (1–20 KB, read only when one credential is shown) is compressed and moved
-- out of line as soon as a row exceeds 256 bytes, so a search touches far fewer heap pages
-- and the searchable part of a million awards fits in memory.
alter table credentials set (toast_tuple_target = 256);
