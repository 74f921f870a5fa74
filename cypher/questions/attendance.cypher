// title: Who attended and who boycotted each meeting
// answers: one row per meeting and party that attended or boycotted it, with the supporting articles, oldest meeting first
// param: meeting = null  (part of a meeting name or series, any case; null = every meeting)
// example: kg ask attendance -p meeting="second round"
WITH toLower(coalesce($meeting, '')) AS wanted
MATCH (a:Actor)-[:ATTENDED|BOYCOTTED]->(m:Meeting)
WHERE wanted = ''
   OR toLower(m.name) CONTAINS wanted
   OR toLower(coalesce(m.series, '')) CONTAINS wanted
WITH DISTINCT m, a
OPTIONAL MATCH (a)-[att:ATTENDED]->(m)
OPTIONAL MATCH (a)-[boy:BOYCOTTED]->(m)
RETURN m.name AS meeting, m.start_date AS start_date, a.name AS actor,
       CASE
         WHEN att IS NOT NULL AND boy IS NOT NULL THEN 'attended and boycotted'
         WHEN att IS NOT NULL THEN 'attended'
         ELSE 'boycotted'
       END AS part,
       coalesce(att.sources, boy.sources) AS sources
ORDER BY coalesce(m.start_date, '9999-12-31'), toLower(m.name), m.id, part, toLower(a.name), a.id
