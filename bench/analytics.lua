-- wrk script: POST the body in BODY to the path in PATH_ with the X-Api-Key in KEY.
function init(args)
    path = os.getenv("PATH_")
    body = os.getenv("BODY")
    key = os.getenv("KEY")
end

function request()
    return wrk.format("POST", path, {["Content-Type"] = "application/json", ["X-Api-Key"] = key}, body)
end
