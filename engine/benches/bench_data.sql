-- Scale-benchmark data: 100,000 users, 20 issuers, 1,450 achievements and 1,000,000 awarded
-- credentials (with ~1 KB signed-credential JSON each) over three years.
-- Run against a freshly migrated, otherwise empty database (see docs/benchmarks.md):
--   psql -v ON_ERROR_STOP=1 -d badge_engine_bench -f engine/benches/bench_data.sql
-- Deterministic: the same names and e-mails every run (setseed), so timings are comparable.
\timing on
select setseed(0.42);

create temporary table first_names (i int primary key, name text);
insert into first_names
select ordinality, name from unnest(array[
  'Ann','Bob','Carla','Dirk','Eva','Femke','Gert','Hanna','Ivo','Jan','Kees','Lotte','Maarten','Noor',
  'Olaf','Pieter','Quinn','Rosa','Sven','Tess','Umar','Vera','Wim','Xandra','Yusuf','Zoë','Aisha','Bram',
  'Chen','Daan','Elif','Fatima','Gijs','Hugo','Iris','Joris','Kim','Lars','Mila','Nina','Oscar','Puck',
  'Ravi','Sanne','Tim','Uma','Vince','Wendy','Yara','Zeno','Amir','Bo','Cas','Demi','Emma','Finn','Guus',
  'Hamza','Isa','Jesse','Kiki','Levi','Maud','Niels','Ole','Pim','Rik','Sara','Thijs','Vlad','Wout',
  'Yasmin','Zara','Arjen','Bas','Coen','Dewi','Evi','Floor','Gaby','Hidde','Inge','Jop','Koen','Luuk',
  'Merel','Nadia','Otto','Peter','Roos','Stijn','Tara','Ugo','Valerie','Willem','Xin','Youssef','Zilan'
]) with ordinality as t(name, ordinality);

create temporary table last_names (i int primary key, name text);
insert into last_names
select ordinality, name from unnest(array[
  'de Jong','Jansen','de Vries','van den Berg','van Dijk','Bakker','Janssen','Visser','Smit','Meijer',
  'de Boer','Mulder','de Groot','Bos','Vos','Peters','Hendriks','van Leeuwen','Dekker','Brouwer',
  'de Wit','Dijkstra','Smits','de Graaf','van der Meer','van der Linden','Kok','Jacobs','de Haan',
  'Vermeulen','van den Heuvel','van der Veen','van den Broek','de Bruijn','de Bruin','van der Heijden',
  'Schouten','van Beek','Willems','van Vliet','van de Ven','Hoekstra','Maas','Verhoeven','Koster',
  'van Dam','van der Wal','Prins','Blom','Huisman','Peeters','de Jonge','Kuipers','van Veen','Post',
  'Kuiper','Veenstra','Kramer','van den Brink','Scholten','van Wijk','Postma','Martens','Vink',
  'de Ruiter','Timmermans','Groen','Gerritsen','Jonker','van Loon','Boer','van der Velde','Willemsen',
  'Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez',
  'Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin',
  'Lee','Perez','Thompson','White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson','Walker',
  'Young','Allen','King','Wright','Scott','Torres','Nguyen','Hill','Flores','Green','Adams','Nelson',
  'Baker','Hall','Rivera','Campbell','Mitchell','Carter','Roberts','Müller','Schmidt','Schneider',
  'Fischer','Weber','Meyer','Wagner','Becker','Schulz','Hoffmann','Kowalski','Nowak','Wiśniewski',
  'Rossi','Russo','Ferrari','Esposito','Bianchi','Romano','Colombo','Ricci','Marino','Greco',
  'Dubois','Lefebvre','Moreau','Laurent','Simon','Michel','Leroy','Roux','David','Bertrand',
  'Yilmaz','Kaya','Demir','Şahin','Çelik','Öztürk','Aydın','Özdemir','Arslan','Doğan',
  'El Amrani','Benali','Bouzid','Haddad','Khalil','Mansour','Nasser','Rahman','Saleh','Youssef',
  'Wang','Li','Zhang','Liu','Chen','Yang','Huang','Zhao','Wu','Zhou','Patel','Sharma','Singh','Kumar',
  'Gupta','Khan','Ali','Ahmed','Hussain','Shah','Tanaka','Suzuki','Sato','Takahashi','Watanabe'
]) with ordinality as t(name, ordinality);

-- 100,000 users; e-mail local parts are first.last + number, a few corporate domains.
insert into users (id, username, email, display_name, given_name, family_name, external_id, created_at)
select uuid_generate_v7(),
       'u' || g || '@corp.example',
       lower(replace(f.name || '.' || l.name, ' ', '')) || g || '@' ||
           (array['corp.example','uni.example','mail.example','school.example'])[1 + g % 4],
       f.name || ' ' || l.name, f.name, l.name, 'oid-' || g,
       now() - make_interval(days => (g % 1000)::int)
  from generate_series(1::bigint, 100000) g
  join first_names f on f.i = 1 + (g * 7919) % (select count(*) from first_names)
  join last_names l on l.i = 1 + (g * 104729) % (select count(*) from last_names);

-- 20 issuers; issuer 1 is the big one (500 achievements), the rest have 50 each.
insert into issuers (id, name, url, email, description)
select uuid_generate_v7(), 'Issuer ' || g, 'https://issuer' || g || '.example', 'badges@issuer' || g || '.example',
       'Benchmark issuer ' || g
  from generate_series(1, 20) g;

insert into achievements (id, issuer_id, name, description, achievement_type, criteria_narrative, tags, created_at)
select uuid_generate_v7(), i.id, 'Achievement ' || i.name || ' #' || g, 'Description of achievement ' || g,
       (array['Badge','Certificate','Course','Competency','MicroCredential'])[1 + g % 5],
       'Complete the requirements of achievement ' || g, array['tag' || (g % 10), 'level' || (g % 3)],
       now() - make_interval(days => g)
  from issuers i
  cross join lateral generate_series(1, case when i.name = 'Issuer 1' then 500 else 50 end) g;

-- Bulk-load credentials with the big indexes dropped, then rebuild them with the exact
-- definitions from migrations/20261123001500_credentials.sql (faster than 1M incremental inserts).
drop index credentials_recipient_search_trgm;
drop index credentials_issued_idx;
drop index credentials_achievement_idx;
drop index credentials_issuer_idx;
drop index credentials_recipient_user_idx;
drop index credentials_recipient_email_idx;

create temporary table ach as
select row_number() over (order by id) as n, id, issuer_id, name from achievements;
create temporary table usr as
select row_number() over (order by id) as n, id, email, display_name from users;

-- 1,000,000 awards over ~3 years: 80 % to provisioned users, 20 % to outside addresses.
insert into credentials (id, achievement_id, issuer_id, recipient_user_id, recipient_name, recipient_email,
                         identity_hash, identity_salt, credential, issued_at, claimed_at, revoked_at,
                         revocation_reason)
select uuid_generate_v7(), a.id, a.issuer_id,
       case when ext then null else u.id end,
       case when ext then 'Guest ' || u.display_name else u.display_name end,
       case when ext then 'guest' || g || '@outside.example' else u.email end,
       'sha256$' || encode(sha256(convert_to(u.email || g, 'UTF8')), 'hex'), md5(g::text),
       jsonb_build_object(
         '@context', jsonb_build_array('https://www.w3.org/ns/credentials/v2',
                                       'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'),
         'id', 'urn:uuid:' || gen_random_uuid(),
         'type', jsonb_build_array('VerifiableCredential', 'OpenBadgeCredential'),
         'issuer', jsonb_build_object('id', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
                                      'type', jsonb_build_array('Profile'), 'name', 'Benchmark issuer'),
         'validFrom', issued,
         'credentialSubject', jsonb_build_object(
             'type', jsonb_build_array('AchievementSubject'),
             'identifier', jsonb_build_array(jsonb_build_object('type', 'IdentityObject', 'hashed', true,
                 'identityHash', 'sha256$' || md5(u.email), 'identityType', 'emailAddress', 'salt', md5(g::text))),
             'achievement', jsonb_build_object('id', 'urn:uuid:' || a.id, 'type', jsonb_build_array('Achievement'),
                 'name', a.name, 'description', 'Benchmark achievement',
                 'criteria', jsonb_build_object('narrative', 'Complete the requirements.'))),
         'proof', jsonb_build_object('type', 'DataIntegrityProof', 'cryptosuite', 'eddsa-rdfc-2022',
             'created', issued, 'proofPurpose', 'assertionMethod',
             'verificationMethod', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
             'proofValue', 'z' || md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text))),
       issued,
       case when g % 3 = 0 then issued + interval '2 days' end,
       case when g % 100 = 0 then issued + interval '30 days' end,
       case when g % 100 = 0 then 'benchmark revocation' end
  from generate_series(1::bigint, 1000000) g
  -- Awards arrive over time: issuance order follows insertion order, as in production.
  cross join lateral (select g % 5 = 0 as ext,
                             now() - make_interval(secs => ((1000000 - g) * 94 + (random() * 60)::int)::int) as issued) x
  join ach a on a.n = 1 + (g * 2654435761 % (select count(*) from ach))
  join usr u on u.n = 1 + (g * 40503 % 100000);

create index credentials_recipient_search_trgm on credentials using gin (recipient_search gin_trgm_ops);
create index credentials_issued_idx on credentials (issued_at desc, id desc);
create index credentials_achievement_idx on credentials (achievement_id, issued_at desc);
create index credentials_issuer_idx on credentials (issuer_id, issued_at desc);
create index credentials_recipient_user_idx on credentials (recipient_user_id, issued_at desc) where recipient_user_id is not null;
create index credentials_recipient_email_idx on credentials (lower(recipient_email), issued_at desc);

vacuum analyze;
select (select count(*) from users) as users, (select count(*) from achievements) as achievements,
       (select count(*) from credentials) as credentials,
       pg_size_pretty(pg_database_size(current_database())) as database_size;
