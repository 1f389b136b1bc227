-- Zero-pad a code to a width without ever truncating it ('1' -> '01', but '971' stays '971').
create macro pad_code(code, width) as if(length(code) < width, lpad(code, width, '0'), code);
