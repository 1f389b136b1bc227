"""Write a national-size, fictitious URSSAF commune × APE export (API field names, years 2006–2025).

About 1.2 million rows and 130 MB, like the real national file; every value is random. Used by
`make bench` to measure import + build at the real scale without downloading anything.
"""

import sys
from pathlib import Path

import duckdb

YEARS = range(2006, 2026)
ROWS = 1_200_000


def write(path: Path, rows: int = ROWS, communes: list[tuple[str, str, str, str]] | None = None) -> Path:
    """`communes`: (commune, zone d'emploi, département, région) codes to spread the rows over, so that
    the figures of real territories (the bassin of Rennes...) are not empty; default: made-up codes."""
    year_columns = ", ".join(
        f"case when random() < 0.7 then (1 + floor(random() * 4))::int end as nombre_d_etablissements_{year}, "
        f"case when random() < 0.7 then floor(random() * 60)::int end as effectifs_salaries_{year}"
        for year in YEARS)
    con = duckdb.connect()
    if communes:
        con.execute("create table geography (n integer, commune varchar, ze varchar, dept varchar, region varchar)")
        con.executemany("insert into geography values (?, ?, ?, ?, ?)",
                        [(n, *codes) for n, codes in enumerate(communes)])
        place = """geography.commune as code_commune, geography.ze as code_zone_d_emploi,
                (200000000 + (i * 7919) % 1200)::varchar as code_epci, geography.dept as code_departement,
                geography.region as code_region"""
        source = f"range({rows}) as t(i) join geography on geography.n = (i * 7919) % {len(communes)}"
    else:
        place = """lpad(((i * 7919) % 34000 + 1000)::varchar, 5, '0') as code_commune,
                lpad(((i * 7919) % 300 + 1)::varchar, 4, '0') as code_zone_d_emploi,
                (200000000 + (i * 7919) % 1200)::varchar as code_epci,
                lpad(((i * 7919) % 95 + 1)::varchar, 2, '0') as code_departement,
                ((i * 7919) % 13 + 11)::varchar as code_region"""
        source = f"range({rows}) as t(i)"
    con.execute(f"""
        copy (
            select
                {place},
                lpad(((i * 31) % 99 + 1)::varchar, 2, '0') || lpad(((i * 17) % 99)::varchar, 2, '0')
                    || chr(65 + (i % 3)::int) as code_ape,
                'GS' || (i % 5 + 1) as grand_secteur_d_activite,
                {year_columns}
            from {source}
            order by i
        ) to '{path}' (header, delimiter ';')""")
    con.close()
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/urssaf_national.csv")
    print(write(target))
