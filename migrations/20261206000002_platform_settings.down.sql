alter table tax_rates drop constraint tax_rates_region_check, drop constraint tax_rates_name_check;
drop table default_shipping_methods;
drop table platform_settings;
