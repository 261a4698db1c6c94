namespace TaskGrid.Validation;

/// <summary>Bounds on task and grid fields. Requests outside them get a 400 naming the field.</summary>
public static class TaskLimits
{
    /// <summary>Longest codegen objective, in characters.</summary>
    public const int ObjectiveMaxLength = 20_000;

    /// <summary>Longest language name.</summary>
    public const int LanguageMaxLength = 64;

    /// <summary>Longest inline script, in characters (256 KiB).</summary>
    public const int ScriptSourceMaxLength = 256 * 1024;

    /// <summary>Most script arguments.</summary>
    public const int ScriptMaxArgs = 100;

    /// <summary>Longest script argument or environment value.</summary>
    public const int ScriptValueMaxLength = 4096;

    /// <summary>Most script environment variables.</summary>
    public const int ScriptMaxEnv = 64;

    /// <summary>Most argument axes of a script matrix.</summary>
    public const int MatrixMaxAxes = 16;

    /// <summary>Priority range (higher runs first).</summary>
    public const int PriorityMin = -1000, PriorityMax = 1000;

    /// <summary>Attempt range.</summary>
    public const int MaxAttemptsMin = 1, MaxAttemptsMax = 100;

    /// <summary>Longest time to live: 30 days.</summary>
    public const int TtlSecondsMax = 30 * 24 * 3600;

    /// <summary>Longest per-attempt timeout: one day.</summary>
    public const int TimeoutSecondsMax = 24 * 3600;

    /// <summary>Longest grid name.</summary>
    public const int GridNameMaxLength = 200;

    /// <summary>Largest grid concurrency limit.</summary>
    public const int MaxConcurrencyMax = 100_000;
}
