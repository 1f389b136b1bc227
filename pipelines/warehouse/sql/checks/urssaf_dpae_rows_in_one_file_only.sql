-- A published DPAE cell (territory × grand secteur × contract × period) appears once: two files holding
-- the same département (a Bretagne export and a dép. 35 export, say) or the same month would count it twice.
select 'DPAE en double : ' || territory_code || ' ' || coalesce(grand_secteur, 'ensemble')
    || ' ' || coalesce(contract_label, '') || ' ' || period_end || ' (' || string_agg(distinct source_file, ', ') || ')'
from stg_urssaf_dpae__hires
where not is_calibration
group by territory_type, territory_code, grand_secteur, contract_label, contract_duration, period_end, frequency
having count(*) > 1
