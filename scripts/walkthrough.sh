#!/usr/bin/env bash
# The curl walkthrough of docs/walkthrough.md (steps 1 to 7), runnable: against a running
# sandbox (npm start) with the key in $KEY. Prints each command and the server's real answer.
#   SANDBOX_API_KEYS=acme:acme-secret-key-1 npm start      # in one terminal
#   KEY=acme-secret-key-1 bash scripts/walkthrough.sh       # in another
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:3000}
: "${KEY:?set KEY to an API key of the running sandbox}"
AUTH="Authorization: Bearer $KEY"
show() { printf '\n$ %s\n' "$*" | sed "s/$KEY/\$KEY/g"; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(JSON.stringify(v,null,2))})'; }

show curl -s "\"$BASE/v1/plans?countryCode=JP&providerCode=KDDI&limit=1\"" -H "\"$AUTH\""
curl -s "$BASE/v1/plans?countryCode=JP&providerCode=KDDI&limit=1" -H "$AUTH" | json

show curl -s -X POST "\"$BASE/v1/orders\"" -H "\"$AUTH\"" -H "'Content-Type: application/json'" -d "'{\"planCode\": \"KD0001\", \"quantity\": 1}'"
order=$(curl -s -X POST "$BASE/v1/orders" -H "$AUTH" -H 'Content-Type: application/json' -d '{"planCode": "KD0001", "quantity": 1}')
echo "$order" | json
iccid=$(echo "$order" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).esims[0].iccid))')
tx=$(echo "$order" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).transactionId))')

show curl -s -i "\"$BASE/v1/esims/$iccid\"" -H "\"$AUTH\""
curl -s -i "$BASE/v1/esims/$iccid" -H "$AUTH" | tr -d '\r' | grep -iv '^date:\|^connection:\|^keep-alive:'
echo

show curl -s "\"$BASE/v1/orders/$tx\"" -H "\"$AUTH\""
curl -s "$BASE/v1/orders/$tx" -H "$AUTH" | json

show curl -s -X POST "\"$BASE/v1/esims/$iccid/emergency-control\"" -H "\"$AUTH\"" -H "'Content-Type: application/json'" -d "'{\"action\": \"suspend\"}'"
curl -s -X POST "$BASE/v1/esims/$iccid/emergency-control" -H "$AUTH" -H 'Content-Type: application/json' -d '{"action": "suspend"}' \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const e=JSON.parse(s);console.log(JSON.stringify({contractStatus:e.contractStatus,isServiceRestricted:e.isServiceRestricted,lastUpdatedAt:e.lastUpdatedAt}))})'

show curl -s -X POST "\"$BASE/v1/esims/$iccid/emergency-control\"" -H "\"$AUTH\"" -H "'Content-Type: application/json'" -d "'{\"action\": \"release\"}'"
curl -s -X POST "$BASE/v1/esims/$iccid/emergency-control" -H "$AUTH" -H 'Content-Type: application/json' -d '{"action": "release"}' \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const e=JSON.parse(s);console.log(JSON.stringify({contractStatus:e.contractStatus,isServiceRestricted:e.isServiceRestricted,lastUpdatedAt:e.lastUpdatedAt}))})'

usage='[{"day": "2025-12-10", "usage": "102400"}, {"day": "2025-12-11", "usage": "102400"}, {"day": "2025-12-12", "usage": "102400"}]'
show curl -s -X PUT "\"$BASE/v1/sandbox/esims/$iccid/data-usage\"" -H "\"$AUTH\"" -H "'Content-Type: application/json'" -d "'$usage'"
curl -s -X PUT "$BASE/v1/sandbox/esims/$iccid/data-usage" -H "$AUTH" -H 'Content-Type: application/json' -d "$usage" | json

show curl -s "\"$BASE/v1/esims/$iccid\"" -H "\"$AUTH\"" "| jq '{totalDataUsage, dataUsageDailyList}'"
curl -s "$BASE/v1/esims/$iccid" -H "$AUTH" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const e=JSON.parse(s);console.log(JSON.stringify({totalDataUsage:e.totalDataUsage,dataUsageDailyList:e.dataUsageDailyList},null,2))})'

show curl -s "\"$BASE/v1/esims/8900100000000000001\"" -H "\"$AUTH\""
curl -s "$BASE/v1/esims/8900100000000000001" -H "$AUTH" | json
