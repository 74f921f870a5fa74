// title: Parties that attended some meetings and boycotted others
// answers: every party with at least one attendance and one boycott, with how many meetings of each
// example: kg ask attended-and-boycotted
MATCH (a:Actor)-[:BOYCOTTED]->(b:Meeting)
WITH a, count(DISTINCT b) AS boycotted
MATCH (a)-[:ATTENDED]->(m:Meeting)
WITH a, boycotted, count(DISTINCT m) AS attended
RETURN a.name AS actor, attended, boycotted
ORDER BY toLower(actor), a.id
