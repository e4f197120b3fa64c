drop table catalog_imports;
drop table rate_limits;
