// The peer the benchmark measures pace-audit against: an analyst's one DuckDB query that works
// out the summary audit (episodes, decisions within/late, overdue, in progress, left care) from
// the same export, with the same counting rules (README "Counting rules") for the shapes the
// benchmark generates. Run as: node bench-duckdb.mjs <duckdb-module-dir> <file> <as-of>.
// Prints the summary as JSON, so the bench can check both did the same work.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [moduleDir, file, asOf] = process.argv.slice(2);
const { DuckDBInstance } = await import(
  pathToFileURL(join(moduleDir, 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js')).href
);

const sql = `
WITH raw AS (
  SELECT trim(child_id) AS child_id, nullif(trim(family_id), '') AS family_id,
         coalesce(try_strptime(date_of_birth, '%Y-%m-%d'), try_strptime(date_of_birth, '%d/%m/%Y'))::DATE AS dob,
         replace(replace(lower(trim(event)), ' ', '_'), '-', '_') AS event,
         coalesce(try_strptime(event_date, '%Y-%m-%d'), try_strptime(event_date, '%d/%m/%Y'))::DATE AS day,
         lower(trim(route)) AS route
  FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')
),
ok AS (
  SELECT * FROM raw
  WHERE child_id <> '' AND day IS NOT NULL
    AND event IN ('accommodated', 'review', 'permanence_decision', 'permanence_panel', 'adm_decision',
                  'court_application', 'final_order', 'ceased_accommodated')
    AND (event <> 'accommodated' OR dob IS NOT NULL)
    AND (event <> 'permanence_decision' OR route IN ('home', 'kinship', 'permanence_order', 'adoption'))
    AND day <= DATE '${asOf}'
),
bounds AS (
  SELECT child_id, event, day, dob, family_id,
         lag(event) OVER (PARTITION BY child_id ORDER BY day, CASE event WHEN 'accommodated' THEN 0 ELSE 2 END) AS prev
  FROM ok WHERE event IN ('accommodated', 'ceased_accommodated')
),
episodes AS (
  SELECT o.child_id, o.day AS acc, o.dob, o.family_id,
         (SELECT min(c.day) FROM ok c WHERE c.child_id = o.child_id AND c.event = 'ceased_accommodated' AND c.day >= o.day) AS ceased
  FROM bounds o
  WHERE o.event = 'accommodated' AND (o.prev IS NULL OR o.prev = 'ceased_accommodated')
),
cohort AS (
  SELECT e.*,
         (e.acc + INTERVAL 7 MONTH)::DATE + 15 AS deadline,
         (SELECT min(d.day) FROM ok d WHERE d.child_id = e.child_id AND d.event = 'permanence_decision'
            AND d.day >= e.acc AND (e.ceased IS NULL OR d.day <= e.ceased)) AS decided
  FROM episodes e
  WHERE e.acc < CASE WHEN month(e.dob) = 2 AND day(e.dob) = 29 AND NOT ((year(e.dob) + 12) % 4 = 0 AND ((year(e.dob) + 12) % 100 <> 0 OR (year(e.dob) + 12) % 400 = 0))
                     THEN make_date(year(e.dob) + 12, 3, 1) ELSE (e.dob + INTERVAL 12 YEAR)::DATE END
)
SELECT count(*) AS episodes,
       count(DISTINCT child_id) AS children,
       count(decided) AS decided,
       count(*) FILTER (WHERE decided <= deadline) AS "decidedWithinTarget",
       count(*) FILTER (WHERE decided > deadline) AS "decidedLate",
       count(*) FILTER (WHERE decided IS NULL AND ceased IS NULL AND DATE '${asOf}' > deadline) AS overdue,
       count(*) FILTER (WHERE decided IS NULL AND ceased IS NULL AND DATE '${asOf}' <= deadline) AS "inProgress",
       count(*) FILTER (WHERE decided IS NULL AND ceased IS NOT NULL) AS "leftCare"
FROM cohort`;

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
const reader = await connection.runAndReadAll(sql);
const [row] = reader.getRowObjectsJson();
console.log(JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))));
