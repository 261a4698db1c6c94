namespace TaskGrid.Tests.Deployment.Support;

/// <summary>Collects every violation before failing, so one run names them all.</summary>
public sealed class Problems(string overlay)
{
    private readonly List<string> _found = [];

    public void Check(bool holds, string problem)
    {
        if (!holds)
        {
            _found.Add(problem);
        }
    }

    public void AssertNone() =>
        Assert.True(_found.Count == 0, $"Overlay {overlay}:\n  - {string.Join("\n  - ", _found)}");
}
