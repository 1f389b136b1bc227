"""Helpers the pages share (not pages themselves): cached reads of the marts, banners, charts, exports."""
