-- Zero-pad a code to a width without ever truncating it ('1' -> '01', but '971' stays '971').
create macro pad_code(code, width) as if(length(code) < width, lpad(code, width, '0'), code);
-- An APE code in NAF form, whatever the export wrote: '6201Z', '62.01Z', '62 01Z' -> '62.01Z'.
create macro naf_code(ape) as
    substr(upper(replace(replace(ape, '.', ''), ' ', '')), 1, 2) || '.'
    || substr(upper(replace(replace(ape, '.', ''), ' ', '')), 3);
-- The commune of an arrondissement municipal of Paris, Lyon or Marseille (75101-75120, 69381-69389, 13201-13216), any
-- other commune code as it is: sources that write the arrondissement (offers' workplaces) join the zonings'
-- communes through it.
create macro plm_commune(code) as case
    when code between '75101' and '75120' then '75056'
    when code between '69381' and '69389' then '69123'
    when code between '13201' and '13216' then '13055'
    else code end;
-- The period of a yearly URSSAF figure: its year's first day.
create macro urssaf_period(year) as make_date(year, 1, 1);
-- The tension driver with the highest class (first in this order on ties); NULL if none is published.
create macro main_driver(labour_shortage, hiring_intensity, working_conditions, job_instability, training_link,
                         geographic_mismatch) as (
    select name from (values
        ('labour_shortage', 1, labour_shortage), ('hiring_intensity', 2, hiring_intensity),
        ('working_conditions', 3, working_conditions), ('job_instability', 4, job_instability),
        ('training_link', 5, training_link), ('geographic_mismatch', 6, geographic_mismatch)
    ) as driver(name, rank, class)
    where class is not null
    order by class desc, rank
    limit 1
);
-- A quarter as every page, slide and export writes it (one French form, DESIGN §1): 'T4 2024', and in a
-- sentence '4e trimestre 2024' ('1er trimestre 2025'), from the first day of the quarter.
create macro quarter_label(period) as 'T' || quarter(period) || ' ' || year(period);
create macro quarter_phrase(period) as
    quarter(period) || if(quarter(period) = 1, 'er', 'e') || ' trimestre ' || year(period);

-- The number of a ROME referential version ('v460' -> 460): the latest version of each ROME file is the one used.
create macro rome_version_number(version) as cast(regexp_extract(version, '[0-9]+') as integer);
