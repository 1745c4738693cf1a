-- Tests the Argo CD health checks in medops.io/<Kind>/health.lua with Lua 5.1, the language
-- Argo CD runs them in (gopher-lua).
--
--   lua5.1 test_runner.lua
--       runs every case of medops.io/<Kind>/health_test.lua; prints one line per case and
--       "health.lua: N passed, M failed"; exits 1 when a case failed.
--   lua5.1 test_runner.lua --eval <Kind> <object.lua>
--       judges one object (a Lua file that returns the resource as a table, as Argo CD hands
--       it to the script) and prints "<status>\t<message>".
--
-- Each script runs as Argo CD runs it: a fresh environment whose global `obj` is the resource,
-- with the base, string, table and math libraries only. Reading an unknown global or writing a
-- global is an error here (Argo CD would allow both, but a health check has no need of either).

local kinds = { "MedicalModel", "TrainingJob", "Workspace" }
local statuses = { Healthy = true, Progressing = true, Degraded = true, Suspended = true, Missing = true, Unknown = true }

local root = (arg and arg[0] and arg[0]:match("^(.*)/[^/]*$")) or "."

local function script_path(kind)
  return root .. "/medops.io/" .. kind .. "/health.lua"
end

local function deep_copy(value)
  if type(value) ~= "table" then
    return value
  end
  local copy = {}
  for k, v in pairs(value) do
    copy[k] = deep_copy(v)
  end
  return copy
end

local function sandbox(object)
  local env = {
    obj = object,
    ipairs = ipairs, pairs = pairs, next = next, select = select, type = type,
    tostring = tostring, tonumber = tonumber, unpack = unpack, error = error, pcall = pcall,
    string = string, table = table, math = math,
  }
  return setmetatable(env, {
    __index = function(_, name)
      error("health.lua read the undefined global '" .. tostring(name) .. "'", 2)
    end,
    __newindex = function(_, name)
      error("health.lua wrote the global '" .. tostring(name) .. "': use a local", 2)
    end,
  })
end

-- Runs kind's health.lua on object; returns the table it returned, or nil and an error.
local function judge(kind, object)
  local chunk, err = loadfile(script_path(kind))
  if chunk == nil then
    return nil, "cannot load " .. script_path(kind) .. ": " .. tostring(err)
  end
  setfenv(chunk, sandbox(deep_copy(object)))
  local ok, hs = pcall(chunk)
  if not ok then
    return nil, "health.lua raised an error: " .. tostring(hs)
  end
  if type(hs) ~= "table" then
    return nil, "health.lua returned " .. type(hs) .. ", not a table"
  end
  if not statuses[hs.status] then
    return nil, "health.lua returned the status " .. tostring(hs.status) .. ", which Argo CD does not know"
  end
  if type(hs.message) ~= "string" or hs.message == "" then
    return nil, "health.lua returned no message"
  end
  return hs
end

-- Helpers the health_test.lua files receive as their chunk argument (`local t = ...`).
local helpers = {}

-- A metav1.Condition as the operator writes it.
function helpers.condition(kind, status, reason, message, observedGeneration)
  return {
    type = kind, status = status, reason = reason, message = message,
    observedGeneration = observedGeneration, lastTransitionTime = "2025-01-01T00:00:00Z",
  }
end

-- A resource of kind with metadata.generation (nil: none) and status (nil: none).
function helpers.resource(kind, generation, status)
  return {
    apiVersion = "medops.io/v1alpha1",
    kind = kind,
    metadata = { name = "example", namespace = "radiology", generation = generation, uid = "00000000-0000-0000-0000-000000000001" },
    spec = {},
    status = status,
  }
end

local function run_all()
  local passed, failed = 0, 0
  for _, kind in ipairs(kinds) do
    local path = root .. "/medops.io/" .. kind .. "/health_test.lua"
    local chunk, err = loadfile(path)
    if chunk == nil then
      print("FAIL " .. kind .. ": cannot load " .. path .. ": " .. tostring(err))
      failed = failed + 1
    else
      local cases = chunk(helpers)
      local count = 0
      for _, case in ipairs(cases) do
        count = count + 1
        local name = kind .. ": " .. case.name
        local hs, problem = judge(kind, case.input)
        if hs == nil then
          print("FAIL " .. name .. ": " .. problem)
          failed = failed + 1
        elseif hs.status ~= case.expected.status or hs.message ~= case.expected.message then
          print("FAIL " .. name)
          print("       expected " .. case.expected.status .. " \"" .. case.expected.message .. "\"")
          print("       got      " .. tostring(hs.status) .. " \"" .. tostring(hs.message) .. "\"")
          failed = failed + 1
        else
          print("ok   " .. name .. " -> " .. hs.status)
          passed = passed + 1
        end
      end
      if count < 6 then
        print("FAIL " .. kind .. ": only " .. count .. " cases; every kind needs at least 6")
        failed = failed + 1
      end
    end
  end
  print("health.lua: " .. passed .. " passed, " .. failed .. " failed")
  return failed == 0
end

local function eval(kind, file)
  local chunk, err = loadfile(file)
  if chunk == nil then
    io.stderr:write("cannot load " .. tostring(file) .. ": " .. tostring(err) .. "\n")
    return false
  end
  local hs, problem = judge(kind, chunk())
  if hs == nil then
    io.stderr:write(problem .. "\n")
    return false
  end
  print(hs.status .. "\t" .. hs.message)
  return true
end

local ok
if arg[1] == "--eval" then
  if arg[2] == nil or arg[3] == nil then
    io.stderr:write("usage: lua5.1 test_runner.lua [--eval <Kind> <object.lua>]\n")
    os.exit(2)
  end
  ok = eval(arg[2], arg[3])
else
  ok = run_all()
end
os.exit(ok and 0 or 1)
