-- zonefacts: questions answered from the Parquet tables of one output folder, with DuckDB.
--
-- The folder is the variable `out` (default: `output`, relative to where you run it).
--   Python client (pip install duckdb; no CLI needed):
--     python examples/run_sql.py output [examples/questions.sql]
--   DuckDB CLI, default folder:
--     duckdb -c ".read examples/questions.sql"
--   DuckDB CLI, another folder:
--     { echo "SET VARIABLE out = '/path/to/out';"; cat examples/questions.sql; } | duckdb
--
-- Star schema: `measures` is the fact table (one row per figure); `articles` and `zones` are
-- dimensions, joined on article_id and zone_id. `value` is in the base unit (元, %, 工作日…).

SET VARIABLE out = COALESCE(getvariable('out'), 'output');

CREATE OR REPLACE VIEW articles AS SELECT * FROM read_parquet(getvariable('out') || '/articles.parquet');
CREATE OR REPLACE VIEW measures AS SELECT * FROM read_parquet(getvariable('out') || '/measures.parquet');
CREATE OR REPLACE VIEW zones    AS SELECT * FROM read_parquet(getvariable('out') || '/zones.parquet');
CREATE OR REPLACE VIEW entities AS SELECT * FROM read_parquet(getvariable('out') || '/entities.parquet');

-- Q1. Which zones report the biggest cuts in approval time?
--     Approval-time figures the text states as a decrease, by zone: the largest percentage cut,
--     the figures themselves, and how many articles they come from.
SELECT
    coalesce(m.zone, '(no zone)')                                   AS zone,
    z.province,
    max(m.value) FILTER (WHERE m.unit = '%')                        AS biggest_cut_pct,
    count(*)                                                        AS figures,
    count(DISTINCT m.article_id)                                    AS articles,
    string_agg(m.label || ' ' || m.raw_text, '; ' ORDER BY m.article_id, m.char_start) AS what_the_text_says
FROM measures m
LEFT JOIN zones z USING (zone_id)
WHERE m.measure_key = 'approval_time'
  AND m.change = 'decrease'
GROUP BY ALL
ORDER BY biggest_cut_pct DESC NULLS LAST, figures DESC, zone;

-- Q2. Registered capital and investment by zone and period, in 亿 (1e8) of the currency.
--     `period` is what the text says the figure refers to; when it says nothing, the year the
--     article was published (from the articles dimension) stands in, marked `(published)`.
SELECT
    coalesce(m.zone, '(no zone)')                                   AS zone,
    m.measure_key,
    coalesce(m.period, strftime(a.published, '%Y') || ' (published)', '(unknown)') AS period,
    count(*)                                                        AS figures,
    round(sum(m.value) / 1e8, 2)                                    AS total_yi,
    m.unit                                                          AS currency,
    string_agg(m.raw_text, '; ' ORDER BY m.char_start)              AS raw_text
FROM measures m
JOIN articles a USING (article_id)
WHERE m.measure_key IN ('registered_capital', 'investment')
  AND m.unit_kind = 'money'
GROUP BY ALL
ORDER BY zone, m.measure_key, period, currency;

-- Q3. Figures per article (fact table joined to the articles dimension).
SELECT
    a.article_id,
    a.published,
    coalesce(a.zone, '(no zone)')                                   AS zone,
    left(coalesce(a.title, '(untitled)'), 24)                       AS title,
    count(m.measure_id)                                             AS figures,
    count(DISTINCT m.measure_key)                                   AS measure_keys,
    count(m.measure_id) FILTER (WHERE m.change IS NOT NULL)         AS with_direction
FROM articles a
LEFT JOIN measures m USING (article_id)
GROUP BY ALL
ORDER BY figures DESC, a.article_id;

-- Q4. Zones by number of articles: articles about the zone (articles.zone_id), articles that
--     mention it at all (entities of kind `zone`), and figures attributed to it.
SELECT
    z.zone,
    z.province,
    z.level,
    count(DISTINCT a.article_id)                                    AS articles_about,
    (SELECT count(DISTINCT e.article_id) FROM entities e
      WHERE e.kind = 'zone' AND e.text = z.zone)                    AS articles_mentioning,
    (SELECT count(*) FROM measures m WHERE m.zone_id = z.zone_id)   AS figures
FROM zones z
LEFT JOIN articles a USING (zone_id)
GROUP BY ALL
ORDER BY articles_about DESC, figures DESC, z.zone;

-- Q5. 营业收入增速 by zone and period: revenue growth rates (measure_key names the subject,
--     stat the statistic), averaged where a zone reports several for one period.
SELECT
    coalesce(zone, '(no zone)')                                     AS zone,
    coalesce(period, '(unknown)')                                   AS period,
    round(avg(value), 2)                                            AS growth_pct,
    count(*)                                                        AS figures
FROM measures
WHERE measure_key = 'revenue' AND stat = 'growth' AND unit = '%'
GROUP BY ALL
ORDER BY zone, period;
