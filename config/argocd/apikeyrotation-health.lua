-- Argo CD health check for apikeyoperator.io/ApiKeyRotation (status.phase plus kstatus conditions).
-- Kept self-contained and Lua 5.1 compatible: Argo CD runs it in gopher-lua with `obj` set.
local hs = {}

local function condition(conditionType)
  if obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function messageOf(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

-- "RollingOut: <message> (1/3 targets ready)"
local function progressMessage(phase)
  local text = phase
  local reconciling = condition("Reconciling")
  if reconciling ~= nil and reconciling.message ~= nil and reconciling.message ~= "" then
    text = text .. ": " .. reconciling.message
  end
  if obj.status.targets ~= nil and #obj.status.targets > 0 then
    local readyCount = 0
    for _, t in ipairs(obj.status.targets) do
      if t.ready == true then
        readyCount = readyCount + 1
      end
    end
    -- Concatenation, not string.format("%d"): Argo CD's gopher-lua holds every number as a float.
    text = text .. " (" .. readyCount .. "/" .. #obj.status.targets .. " targets ready)"
  end
  return text
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe the latest spec"
  return hs
end

local phase = obj.status.phase
local stalled = condition("Stalled")
if isTrue(stalled) or phase == "Failed" then
  hs.status = "Degraded"
  hs.message = messageOf(stalled, messageOf(condition("Ready"), "Rotation failed"))
  return hs
end

if phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = messageOf(condition("Ready"), "Rotation succeeded")
  return hs
end

-- Every dependent runs the new key; only waiting for the old key's revocation is left. Healthy, so that Argo CD
-- sync waves (and Flux wait) are not held for the whole grace period (1h by default).
if phase == "GracePeriod" then
  hs.status = "Healthy"
  hs.message = "GracePeriod: " .. messageOf(condition("Ready"), messageOf(condition("Reconciling"), "the old key is revoked when the grace period ends"))
  return hs
end

if phase == "Pending" or phase == "Issuing" or phase == "RollingOut" then
  hs.status = "Progressing"
  hs.message = progressMessage(phase)
  return hs
end

if phase == nil or phase == "" then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

hs.status = "Unknown"
hs.message = "Unrecognised phase " .. phase
return hs
