drop function order_lines_not_reserved();
