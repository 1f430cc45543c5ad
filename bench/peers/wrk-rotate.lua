-- wrk script for bench/peers/s3-compare.sh: each request takes the next path from the file named by
-- $WRK_PATHS (one path with its query string a line: plain files for nginx, presigned GET URLs' paths for
-- S3 servers), so the load spreads over the whole object set as the S3 load generator's does. When the run
-- ends it writes one JSON object to $WRK_JSON: counts, bytes, errors and latency percentiles in microseconds.

local paths = {}
local next_index = 1
local threads = 0

function setup(thread)
   thread:set("id", threads)
   threads = threads + 1
end

function init(args)
   for line in io.lines(os.getenv("WRK_PATHS")) do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   -- Threads start at different places so they do not walk the set in lockstep.
   next_index = ((id or 0) * 7919) % #paths + 1
end

function request()
   local path = paths[next_index]
   next_index = next_index % #paths + 1
   return wrk.format("GET", path)
end

function done(summary, latency, requests)
   local e = summary.errors
   local out = io.open(os.getenv("WRK_JSON"), "w")
   out:write(string.format(
      '{"requests":%d,"bytes":%d,"duration_us":%d,"errors":{"status":%d,"connect":%d,"read":%d,"write":%d,' ..
      '"timeout":%d},"lat_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
      summary.requests, summary.bytes, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
   out:close()
end
