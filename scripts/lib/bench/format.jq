# Number formats of the bench tables (jq -L scripts/lib/bench 'include "format"; ...').
def k: . / 1000 | floor | tostring + " k";
def r1: . * 10 | round / 10 | tostring;
def r2: . * 100 | round / 100 | tostring;
