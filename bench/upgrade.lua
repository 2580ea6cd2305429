-- wrk script: POST /v3/3as/website-subscriptions/upgrade to Pro, each request on the next seeded
-- website (seedw-1, seedw-2, ...; bench/seed.sql puts them on Basic). Environment: TOKEN, PRO
-- (the Pro package id), THREADS (wrk -t), START (first website number - 1, default 0).
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end

function init(args)
    counter = 0
    auth = "Bearer " .. os.getenv("TOKEN")
    pro = os.getenv("PRO")
    step = tonumber(os.getenv("THREADS") or "2")
    start = tonumber(os.getenv("START") or "0")
end

function request()
    local n = start + tid + counter * step
    counter = counter + 1
    local body = '{"intpWebsiteId":"seedw-' .. n .. '","packageId":"' .. pro ..
        '","trial":false,"proRate":true}'
    return wrk.format("POST", "/v3/3as/website-subscriptions/upgrade",
        {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end

function done(summary, latency, requests)
    io.write(string.format("non-200 answers: %d\n", summary.errors.status))
end
