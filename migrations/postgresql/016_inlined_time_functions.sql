-- The time conversions of 005 were declared IMMUTABLE around STABLE operators
-- (timestamptz + interval, EXTRACT from a timestamptz), so PostgreSQL could not inline
-- them and ran each call as a function of its own: six per handled update. The same
-- arithmetic through UTC timestamps is immutable, and is inlined into every statement.
-- Results are unchanged (microseconds both ways, any session time zone).
CREATE OR REPLACE FUNCTION lottery_ts(us BIGINT) RETURNS TIMESTAMPTZ
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (TIMESTAMP '1970-01-01' + us * INTERVAL '1 microsecond') AT TIME ZONE 'UTC' $$;
CREATE OR REPLACE FUNCTION lottery_us(t TIMESTAMPTZ) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (EXTRACT(EPOCH FROM t AT TIME ZONE 'UTC') * 1000000)::BIGINT $$;
