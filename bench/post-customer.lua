-- wrk script: POST /v2/3as/customers with a first website, a fresh id on every request.
-- Environment: TOKEN (a partner token), RUN (makes ids unique across runs).
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end

function init(args)
    counter = 0
    auth = "Bearer " .. os.getenv("TOKEN")
    run = os.getenv("RUN") or "0"
end

function request()
    counter = counter + 1
    local id = "b" .. run .. "-" .. tid .. "-" .. counter
    local body = '{"intpCustomerId":"' .. id .. '","email":"' .. id .. '@bench.example.com",' ..
        '"website":{"intpWebsiteId":"' .. id .. '-w","domain":"bench.example.com"}}'
    return wrk.format("POST", "/v2/3as/customers",
        {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end
