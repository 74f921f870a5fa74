// title: The ceasefires discussed at a meeting
// answers: each meeting with the ceasefires on its agenda, their status and date, oldest meeting first
// param: meeting = null  (part of a meeting name or series, any case; null = every meeting)
// example: kg ask ceasefires-at-meeting -p meeting="second round"
WITH toLower(coalesce($meeting, '')) AS wanted
MATCH (c:Ceasefire)-[r:DISCUSSED_AT]->(m:Meeting)
WHERE wanted = ''
   OR toLower(m.name) CONTAINS wanted
   OR toLower(coalesce(m.series, '')) CONTAINS wanted
RETURN m.name AS meeting, m.start_date AS start_date, c.name AS ceasefire, c.status AS status,
       c.date AS date, r.sources AS sources
ORDER BY coalesce(m.start_date, '9999-12-31'), toLower(m.name), m.id, toLower(c.name), c.id
