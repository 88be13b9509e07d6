-- wrk script for H1/H2: POST tools/call whoami on one open MCP session, and check every answer.
--
--   wrk -t2 -c16 -d30s -s bench/lib/mcp_call.lua URL -- CONFIG_FILE
--
-- CONFIG_FILE holds key=value lines: token, session, protocol_version, expect. (A file, not the
-- command line, so the token does not show in the process list.) Every response must be 200 and
-- contain the expected text without "isError":true; done() prints one JSON line with the counts
-- and latencies, and bench/run fails the measure on any error.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local config = {}
   for line in io.lines(args[1]) do
      local key, value = line:match("^([%w_]+)=(.*)$")
      if key then config[key] = value end
   end
   wrk.method = "POST"
   wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}'
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Accept"] = "application/json, text/event-stream"
   wrk.headers["Authorization"] = "Bearer " .. config.token
   wrk.headers["Mcp-Session-Id"] = config.session
   wrk.headers["MCP-Protocol-Version"] = config.protocol_version
   expect = config.expect
   responses, bad_status, wrong_body = 0, 0, 0
   first_error = ""
end

function response(status, headers, body)
   responses = responses + 1
   if status ~= 200 then
      bad_status = bad_status + 1
   elseif not body:find(expect, 1, true) or body:find('"isError":true', 1, true) then
      wrong_body = wrong_body + 1
   else
      return
   end
   if first_error == "" then
      first_error = "HTTP " .. status .. " " .. body:sub(1, 160):gsub('[%c"\\]', " ")
   end
end

function done(summary, latency, requests)
   local checked, statuses, bodies, first = 0, 0, 0, ""
   for _, thread in ipairs(threads) do
      checked = checked + thread:get("responses")
      statuses = statuses + thread:get("bad_status")
      bodies = bodies + thread:get("wrong_body")
      if first == "" then first = thread:get("first_error") end
   end
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "checked": %d, "bad_status": %d, "wrong_body": %d, ' ..
      '"socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "first_error": "%s"}\n',
      summary.requests, summary.duration, checked, statuses, bodies,
      e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean, first))
end
