-- The One-Minute KPI of a CSV file in the event layout (the embedded
-- sample, internal/sample/salon.csv, and the other inputs in this folder),
-- computed by PostgreSQL from the definitions in DESIGN.md ("Definitions")
-- and the package documentation of kpi, as an independent reference for
-- kpi.Summarize. See README.md in this folder for how to run it.
--
-- Definitions used (calendar time, SLA target 60 s):
--
--   lead               a conversation (tenant, conversation_id) with at least
--                      one message_in
--   first message      the earliest message_in of the lead
--   clock-stopping     a message_out by a bot or a human (policy "any"), or
--   reply              by a human only (policy "human"); an automation's
--                      reply never stops the clock
--   first reply        the earliest clock-stopping reply at or after the
--                      first message (a reply at the very instant counts,
--                      as 0 s; one before it answers nothing)
--   first reply time   first reply − first message, in seconds
--   as of              the time of the latest event of the file (of any
--                      kind), and any times given in -v asof; events after
--                      an as-of time are not yet known and left out
--   met                answered with first reply time ≤ 60 s
--   pending            unanswered and as-of not past first message + 60 s
--   breached           every other lead (answered late, or unanswered with
--                      the deadline passed)
--   SLA rate           met ÷ (leads − pending) × 100, NULL when no lead is
--                      decided
--   median, P90, P99   percentile_cont (Hyndman–Fan type 7) of the answered
--                      leads' first reply times; mean the arithmetic mean of
--                      the same; NULL when nothing was answered
--   channel            the first channel named by the conversation's events
--                      in time order (at one instant: customer message,
--                      handoff, booking, reply, confirmation, other kinds,
--                      closing; then the order of the file), lower case
--
-- Input: the CSV on standard input; optionally -v asof=T1,T2,… more as-of
-- times besides the latest event (RFC 3339).
--
-- Output (psql CSV format): a first table with the rows read, the duplicates
-- dropped and the latest event's time; then one table with a row per as-of
-- time and reply policy for all leads (dimension and key empty), and per
-- as-of time, policy and channel. Times are in UTC.

\set ON_ERROR_STOP on
\if :{?asof}
\else
\set asof ''
\endif

SET TimeZone = 'UTC';
SET extra_float_digits = 1; -- shortest exact text of a float8

-- The event layout, every column as text, with the line of the file
-- (the header is line 1). The CSV comes on psql's standard input.
CREATE TEMP TABLE raw (
    line            bigint GENERATED ALWAYS AS IDENTITY (START WITH 2),
    event_id        text,
    tenant          text,
    kind            text,
    at              text,
    conversation_id text,
    contact_id      text,
    channel         text,
    actor           text,
    agent           text,
    source          text,
    medium          text,
    campaign        text,
    scenario        text,
    product         text,
    amount          text,
    currency        text,
    score           text
);

\copy raw (event_id, tenant, kind, at, conversation_id, contact_id, channel, actor, agent, source, medium, campaign, scenario, product, amount, currency, score) FROM pstdin WITH (FORMAT csv, HEADER true)

-- Normalized events, a repeated (tenant, event_id) dropped (the first read
-- is kept).
CREATE TEMP TABLE ev AS
SELECT line,
       coalesce(trim(tenant), '')               AS tenant,
       lower(trim(kind))                        AS kind,
       trim(at)::timestamptz                    AS at,
       coalesce(trim(conversation_id), '')      AS conversation_id,
       coalesce(lower(trim(channel)), '')       AS channel,
       coalesce(lower(trim(actor)), '')         AS actor
FROM (
    SELECT r.*,
           row_number() OVER (PARTITION BY coalesce(trim(r.tenant), ''), trim(r.event_id) ORDER BY r.line) AS nth
    FROM raw r
) d
WHERE nth = 1 OR coalesce(trim(event_id), '') = '';

\pset format csv
\pset null ''

-- The account of the input.
SELECT (SELECT count(*) FROM raw)                              AS rows_read,
       (SELECT count(*) FROM raw) - (SELECT count(*) FROM ev)  AS duplicates,
       to_char(max(at), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')          AS latest
FROM ev;

WITH
-- The times the leads are judged at: the latest event, and the instants
-- listed in the variable asof (RFC 3339, comma-separated). Events after an
-- as-of time are not yet known.
asof(t) AS (
    SELECT max(at) FROM ev
    UNION
    SELECT trim(v)::timestamptz
    FROM unnest(string_to_array(:'asof', ',')) v
    WHERE trim(v) <> ''
),
known AS (
    SELECT a.t AS asof, e.*
    FROM asof a
    JOIN ev e ON e.at <= a.t
    WHERE e.conversation_id <> ''
),
-- Each conversation's channel: the first one named, in time order (at one
-- instant: customer message, handoff, booking, reply, confirmation, other
-- kinds, closing; then the order of the file).
chan AS (
    SELECT DISTINCT ON (asof, tenant, conversation_id)
           asof, tenant, conversation_id, channel
    FROM known
    WHERE channel <> ''
    ORDER BY asof, tenant, conversation_id, at,
             CASE kind WHEN 'message_in' THEN 0 WHEN 'handoff' THEN 1
                       WHEN 'booking' THEN 2 WHEN 'message_out' THEN 3
                       WHEN 'confirmed' THEN 4 WHEN 'closed' THEN 6
                       ELSE 5 END,
             line
),
leads AS (
    SELECT asof, tenant, conversation_id, min(at) AS first_in
    FROM known
    WHERE kind = 'message_in'
    GROUP BY asof, tenant, conversation_id
),
policy(name, actors) AS (
    VALUES ('any', ARRAY['bot', 'human']),
           ('human', ARRAY['human'])
),
-- One row per as-of time, policy and lead, with its first reply (NULL
-- when none is known yet).
firsts AS (
    SELECT l.asof, p.name AS policy, l.tenant, l.conversation_id,
           coalesce(c.channel, '') AS channel,
           l.first_in,
           min(r.at) AS first_reply
    FROM leads l
    CROSS JOIN policy p
    LEFT JOIN chan c USING (asof, tenant, conversation_id)
    LEFT JOIN known r
           ON r.asof = l.asof
          AND r.tenant = l.tenant
          AND r.conversation_id = l.conversation_id
          AND r.kind = 'message_out'
          AND r.actor = ANY (p.actors)
          AND r.at >= l.first_in
    GROUP BY l.asof, p.name, l.tenant, l.conversation_id, c.channel, l.first_in
),
judged AS (
    SELECT f.*,
           extract(epoch FROM f.first_reply - f.first_in) AS secs,
           f.first_reply IS NOT NULL AS answered,
           f.first_reply IS NOT NULL
             AND f.first_reply - f.first_in <= interval '60 seconds' AS met,
           f.first_reply IS NULL
             AND f.asof <= f.first_in + interval '60 seconds' AS pending
    FROM firsts f
),
summary AS (
    SELECT asof, policy,
           CASE WHEN GROUPING(channel) = 0 THEN 'channel' ELSE '' END AS dimension,
           CASE WHEN GROUPING(channel) = 0 THEN channel ELSE '' END AS key,
           count(*)                                AS leads,
           count(*) FILTER (WHERE answered)        AS answered,
           count(*) FILTER (WHERE NOT answered)    AS unanswered,
           count(*) FILTER (WHERE pending)         AS pending,
           count(*) FILTER (WHERE met)             AS met,
           count(*) FILTER (WHERE NOT met AND NOT pending) AS breached,
           percentile_cont(0.5)  WITHIN GROUP (ORDER BY secs::float8) FILTER (WHERE answered) AS median_seconds,
           percentile_cont(0.9)  WITHIN GROUP (ORDER BY secs::float8) FILTER (WHERE answered) AS p90_seconds,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY secs::float8) FILTER (WHERE answered) AS p99_seconds,
           avg(secs) FILTER (WHERE answered)       AS mean_seconds,
           count(*) FILTER (WHERE met) * 100.0
             / nullif(count(*) - count(*) FILTER (WHERE pending), 0) AS sla_rate
    FROM judged
    GROUP BY GROUPING SETS ((asof, policy), (asof, policy, channel))
)
SELECT to_char(asof, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS as_of,
       policy, dimension, key, leads, answered, unanswered, pending, met,
       breached, median_seconds, p90_seconds, p99_seconds, mean_seconds,
       sla_rate
FROM summary
ORDER BY asof, policy, dimension, key;
