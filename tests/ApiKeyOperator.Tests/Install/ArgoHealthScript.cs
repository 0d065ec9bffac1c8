using System.Text.Json;
using NLua;

namespace ApiKeyOperator.Tests.Install;

/// <summary>Runs an Argo CD health Lua script the way Argo CD does: `obj` set globally, `hs` returned.</summary>
public static class ArgoHealthScript
{
    public static ArgoHealth Evaluate(string script, string objectJson)
    {
        using var document = JsonDocument.Parse(objectJson);
        using var lua = new Lua();
        lua.DoString("obj = " + LuaLiteral.FromJson(document.RootElement));
        var results = lua.DoString(script, "health.lua");
        if (results is not [LuaTable hs, ..])
        {
            throw new InvalidOperationException("the health script did not return a table");
        }

        return new ArgoHealth(hs["status"] as string ?? "<nil>", hs["message"] as string ?? "<nil>");
    }
}
