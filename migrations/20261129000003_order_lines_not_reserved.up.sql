-- The order statement (app/src/orders/place.rs) runs as its own transaction: when a line can
-- no longer be reserved it calls this, and the error undoes the lines it did reserve.
-- SQLSTATE MK409 tells the server to explain which item fell short.
create function order_lines_not_reserved() returns boolean
language plpgsql volatile as $$
begin
    raise exception 'not every line of the order could be reserved' using errcode = 'MK409';
end
$$;
