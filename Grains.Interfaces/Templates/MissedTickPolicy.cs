namespace TaskGrid.Templates;

/// <summary>The names of the missed-tick policies of a grid template.</summary>
public static class MissedTickPolicy
{
    /// <summary>Ticks missed while the cluster was down produce one run, for the latest of them.</summary>
    public const string RunOnce = "run_once";

    /// <summary>Ticks missed while the cluster was down produce nothing.</summary>
    public const string Skip = "skip";
}
