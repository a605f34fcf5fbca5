"""`trondocs init`: starter inventories and CI workflows for a new SR."""
