"""The offers online for a territory × sector, read from the offers marts: numbers and codes, no wording. One
snapshot (a date), the latest by default: the figures of two snapshots are never mixed."""

from pipelines.read.marts import records

TOP = 10  # skills and métiers listed at most


def offers_snapshot(con, territory_type: str, territory_code: str, sector_code: str, snapshot_date=None,
                    top: int = TOP) -> dict | None:
    """{counts, levels, skills, soft_skills, metiers} for one snapshot (the territory's latest when
    snapshot_date is None), or None when no offer of the sector is loaded for the territory."""
    where = "territory_type = ? and territory_code = ? and sector_code = ?"
    key = [territory_type, territory_code, sector_code]
    chosen = ("snapshot_date = ?", [snapshot_date]) if snapshot_date is not None else ("is_latest_snapshot", [])
    counts = records(con, f"select * from fct_offers_by_territory_sector_snapshot where {where} and {chosen[0]}",
                     key + chosen[1])
    if not counts:
        return None
    [counts] = counts
    date = [*key, counts["snapshot_date"]]
    of_date = f"{where} and snapshot_date = ?"
    levels = records(con, "select qualification_code, qualification_label, offers, beginner_offers from "
                          f"fct_offer_levels_by_territory_sector_snapshot where {of_date} order by qualification_code",
                     date)
    skills = {kind: records(con, "select skill, offers, skill_rank from fct_offer_skills_by_territory_sector_snapshot "
                                 f"where {of_date} and kind = ? and skill_rank <= ? order by skill_rank",
                            [*date, kind, top])
              for kind in ("competence", "qualite")}
    metiers = records(con, "select rome_code, rome_label, offers, beginner_offers, beginner_rank from "
                           f"fct_offer_metiers_by_territory_sector_snapshot where {of_date} and beginner_rank <= ? "
                           "order by beginner_rank", [*date, top])
    return {"counts": counts, "levels": levels, "skills": skills["competence"], "soft_skills": skills["qualite"],
            "metiers": metiers}
