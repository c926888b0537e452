-- Runs after engine/benches/bench_data.sql (20 issuers, 1,450 achievements, 1,000,000
-- credentials) to reach the page benchmark's scale with the demo issuer and its achievement:
-- 100 issuers and 5,000 achievements, a department tree under the first issuer, and award
-- counts that match the credentials.
insert into issuers (id, name, url, email, description, parent_id)
select uuid_generate_v7(), 'Department ' || g, 'https://dept' || g || '.example', 'badges@dept' || g || '.example',
       'Benchmark department ' || g, (select id from issuers where name = 'Issuer 1')
  from generate_series(1, 79) g;

insert into achievements (id, issuer_id, name, description, achievement_type, criteria_narrative, tags, created_at)
select uuid_generate_v7(), d.id, 'Achievement ' || d.name || ' #' || g, 'Description of achievement ' || g,
       (array['Badge','Certificate','Course','Competency','MicroCredential'])[1 + g % 5],
       'Complete the requirements of achievement ' || g, array['tag' || (g % 10)],
       now() - make_interval(days => g)
  from (select id, name, row_number() over (order by id) as n from issuers where name like 'Department %') d
  cross join lateral generate_series(1, case when d.n <= 74 then 45 else 44 end) g;

update achievements a set award_count = c.n
  from (select achievement_id, count(*)::int as n from credentials group by achievement_id) c
 where c.achievement_id = a.id;

vacuum analyze issuers;
vacuum analyze achievements;
select (select count(*) from issuers) as issuers, (select count(*) from achievements) as achievements,
       (select count(*) from credentials) as credentials;
