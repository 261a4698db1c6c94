namespace TaskGrid.Grains.Retention;

/// <summary>What one retention pass deleted.</summary>
/// <param name="LogLines">Log lines past their age.</param>
/// <param name="Tasks">Finished tasks past their age (with their events, lines and output links).</param>
/// <param name="Artifacts">Task outputs nothing refers to any more.</param>
/// <param name="Contents">Stored contents no artifact holds any more.</param>
/// <param name="AbandonedUploads">Uploads never finished.</param>
public sealed record RetentionPass(long LogLines, long Tasks, long Artifacts, long Contents, long AbandonedUploads)
{
    /// <summary>Whether the pass deleted anything.</summary>
    public bool DeletedAny => LogLines + Tasks + Artifacts + Contents + AbandonedUploads > 0;
}
