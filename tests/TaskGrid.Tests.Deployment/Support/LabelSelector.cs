namespace TaskGrid.Tests.Deployment.Support;

/// <summary>Evaluates a Kubernetes label selector (matchLabels and matchExpressions) against labels.</summary>
public static class LabelSelector
{
    /// <summary>Whether <paramref name="selector"/> selects <paramref name="labels"/>. An empty selector selects everything, as in the API.</summary>
    public static bool Selects(Node selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector["matchLabels"].StringMap)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }
        foreach (var expression in selector["matchExpressions"].Items)
        {
            var key = expression["key"].Text!;
            var values = expression["values"].Items.Select(v => v.Text).ToHashSet();
            var has = labels.TryGetValue(key, out var actual);
            var holds = expression["operator"].Text switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                var other => throw new InvalidOperationException($"Unknown selector operator '{other}'."),
            };
            if (!holds)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether a Service-style selector (a plain map) selects <paramref name="labels"/>.</summary>
    public static bool MapSelects(Node selector, IReadOnlyDictionary<string, string> labels) =>
        selector.StringMap.Count > 0 && selector.StringMap.All(pair => labels.TryGetValue(pair.Key, out var actual) && actual == pair.Value);
}
