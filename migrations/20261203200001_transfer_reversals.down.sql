drop table transfer_reversals;
