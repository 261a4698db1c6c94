namespace TaskGrid.Tests.Deployment.Support;

/// <summary>Resolves what an environment variable of a container will hold, through env and envFrom ConfigMaps.</summary>
public static class PodEnvironment
{
    /// <summary>The value, or null when the variable is unset or comes from a Secret or the downward API.</summary>
    public static string? Value(RenderedOverlay overlay, Node container, string name)
    {
        foreach (var variable in container["env"].Items.Where(v => v["name"].Text == name))
        {
            if (variable["value"].Text is { } literal)
            {
                return literal;
            }
            var fromMap = variable["valueFrom"]["configMapKeyRef"];
            if (fromMap.Exists)
            {
                return ConfigMapData(overlay, fromMap["name"].Text).GetValueOrDefault(fromMap["key"].Text ?? "");
            }
            return null;
        }
        // With envFrom, a later source wins over an earlier one; env (above) wins over all.
        string? value = null;
        foreach (var source in container["envFrom"].Items)
        {
            var map = source["configMapRef"];
            var prefix = source["prefix"].Text ?? "";
            if (map.Exists && name.StartsWith(prefix, StringComparison.Ordinal)
                && ConfigMapData(overlay, map["name"].Text).TryGetValue(name[prefix.Length..], out var found))
            {
                value = found;
            }
        }
        return value;
    }

    private static IReadOnlyDictionary<string, string> ConfigMapData(RenderedOverlay overlay, string? name) =>
        overlay.Find("ConfigMap", name ?? "")?.Root["data"].StringMap ?? new Dictionary<string, string>();
}
