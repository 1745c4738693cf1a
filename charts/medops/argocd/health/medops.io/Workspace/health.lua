-- Argo CD health check for medops.io/v1alpha1 Workspace (docs/gitops.md).
-- Lua 5.1 as Argo CD runs it (gopher-lua): `obj` is the resource; the script returns
-- {status = Healthy | Progressing | Degraded | Suspended, message = ...}.
-- A workspace stopped on purpose (spec.running: false) is Suspended, not unhealthy, as Argo CD's
-- own kubevirt.io/VirtualMachine check reports a stopped or paused VM.
local hs = {}
local meta = obj.metadata or {}
local status = obj.status
local generation = meta.generation

local function find(kind)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

-- The condition's message (or reason) for people; fallback when there is neither.
local function say(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return fallback
end

-- "Reason: message", for problems.
local function explain(c, fallback)
  if c ~= nil and c.reason ~= nil and c.reason ~= "" and c.message ~= nil and c.message ~= "" and c.message ~= c.reason then
    return c.reason .. ": " .. c.message
  end
  return say(c, fallback)
end

local function result(health, message)
  hs.status = health
  hs.message = message
  return hs
end

local function unobserved()
  if generation ~= nil then
    return result("Progressing", "waiting for the operator to observe generation " .. tostring(generation))
  end
  return result("Progressing", "waiting for the operator to observe the resource")
end

if meta.deletionTimestamp ~= nil then
  return result("Progressing", "being deleted")
end
if status == nil or status.observedGeneration == nil then
  return unobserved()
end
if generation ~= nil and status.observedGeneration < generation then
  return unobserved()
end

local ready = find("Ready")
if ready ~= nil and ready.observedGeneration ~= nil and generation ~= nil and ready.observedGeneration < generation then
  return unobserved()
end

local stalled = find("Stalled")
if stalled ~= nil and stalled.status == "True" then
  return result("Degraded", explain(stalled, "stalled: a person must act"))
end

local phase = status.phase
if ready ~= nil and ready.status == "True" then
  if phase == "Stopped" then
    return result("Suspended", say(ready, "stopped"))
  end
  local message = say(ready, "running")
  local restart = find("RestartRequired")
  if restart ~= nil and restart.status == "True" then
    message = message .. "; restart required: " .. say(restart, "RestartRequired")
  end
  return result("Healthy", message)
end
if phase == "Failed" then
  return result("Degraded", explain(ready, "phase Failed"))
end
if ready ~= nil and ready.reason == "Paused" then
  return result("Suspended", say(ready, "paused"))
end
if phase ~= nil and phase ~= "" then
  -- Provisioning, Starting, Stopping: KubeVirt and CDI are still working.
  return result("Progressing", say(ready, "phase " .. phase))
end
return result("Progressing", say(ready, "waiting for the operator to report the workspace's state"))
