// LadybugDB form of shortest-chain.cypher (same header there): LadybugDB writes
// shortest paths as `* ALL SHORTEST 1..6`, has no list comprehension or
// reduce() (list_transform / list_to_string instead) and names a
// relationship's type with label().
WITH toLower(coalesce($from, '')) AS wanted_from, toLower(coalesce($to, '')) AS wanted_to
MATCH (a:Actor), (b:Actor)
WHERE wanted_from <> '' AND wanted_to <> '' AND a.id <> b.id
  AND (toLower(a.name) CONTAINS wanted_from
       OR any(alias IN a.aliases WHERE toLower(alias) CONTAINS wanted_from))
  AND (toLower(b.name) CONTAINS wanted_to
       OR any(alias IN b.aliases WHERE toLower(alias) CONTAINS wanted_to))
MATCH p = (a)-[:ATTENDED|BOYCOTTED|MEDIATED|HELD_IN|BROKERED|VIOLATED|DISCUSSED_AT|REPRESENTS|SUPPORTS* ALL SHORTEST 1..6]-(b)
RETURN a.name AS from_actor, b.name AS to_actor, length(p) AS hops,
       list_to_string(' > ', list_transform(nodes(p), n -> n.name)) AS chain,
       list_to_string(', ', list_transform(rels(p), r -> label(r))) AS links
ORDER BY hops, toLower(a.name), a.id, toLower(b.name), b.id, chain, links
