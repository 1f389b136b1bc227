-- Zero-pad a code to a width without ever truncating it ('1' -> '01', but '971' stays '971').
create macro pad_code(code, width) as if(length(code) < width, lpad(code, width, '0'), code);
-- An APE code in NAF form, whatever the export wrote: '6201Z', '62.01Z', '62 01Z' -> '62.01Z'.
create macro naf_code(ape) as
    substr(upper(replace(replace(ape, '.', ''), ' ', '')), 1, 2) || '.'
    || substr(upper(replace(replace(ape, '.', ''), ' ', '')), 3);
