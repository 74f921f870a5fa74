// title: An actor's meetings and the parties met there
// answers: for each meeting an actor attended or mediated, every other party that attended or mediated it
// param: actor = null  (part of any name or alias of the actor, any case; null = every actor)
// example: kg ask actor-meetings -p actor="United Nations"
WITH toLower(coalesce($actor, '')) AS wanted
MATCH (a:Actor)-[:ATTENDED|MEDIATED]->(m:Meeting)
WHERE wanted = ''
   OR toLower(a.name) CONTAINS wanted
   OR any(alias IN a.aliases WHERE toLower(alias) CONTAINS wanted)
WITH DISTINCT a, m
OPTIONAL MATCH (o:Actor)-[:ATTENDED|MEDIATED]->(m)
WHERE o.id <> a.id
WITH DISTINCT a, m, o
RETURN a.name AS actor, m.name AS meeting, m.start_date AS start_date, o.name AS met
ORDER BY toLower(a.name), a.id, coalesce(m.start_date, '9999-12-31'), toLower(m.name), m.id,
         coalesce(toLower(o.name), ''), o.id
