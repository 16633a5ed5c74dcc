"""`make up`: the whole stack on one machine, provisioned from terraform/, run from dist/*.zip."""
