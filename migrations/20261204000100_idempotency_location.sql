-- A replayed idempotent POST answers with the first answer's Location too (a 201's link to what it made).
alter table api_idempotency add column location text
    constraint api_idempotency_location_length check (length(location) <= 2048);
