namespace TaskGrid.Grains.Logs;

/// <summary>How task log lines are written and followed. Section <c>TaskGrid:Logs</c>.</summary>
public sealed class TaskLogOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Logs";

    /// <summary>How long a silo's log writer gathers lines before writing them in one statement. Default: 200 milliseconds.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most lines written in one statement. Default: 2,000.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>Lines a silo buffers before a printing task has to wait for the writer (its pipe then fills and it blocks). Default: 20,000.</summary>
    public int BufferCapacity { get; set; } = 20_000;

    /// <summary>Longest stored line, in bytes of UTF-8; a longer line is stored in pieces. Default: 8 KiB.</summary>
    public int MaxLineBytes { get; set; } = 8 * 1024;

    /// <summary>Whether executors log their own messages (claimed, calls made, retries scheduled, files saved). Default: true.</summary>
    public bool SystemMessages { get; set; } = true;

    /// <summary>
    /// Whether <c>noop</c> tasks get those messages too. They exist to measure the engine, have
    /// nothing to say, and their history (kept in the task) already records each claim and
    /// outcome; two log rows each would double what a no-op costs the database. Default: false.
    /// </summary>
    public bool SystemMessagesForNoop { get; set; }

    /// <summary>How often a follower of a task's log (<c>?follow=true</c>) looks for new lines when no notification arrives. Default: 1 second.</summary>
    public TimeSpan FollowPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an idle follow stream sends a <c>ping</c> event, so that proxies keep it open. Default: 15 seconds.</summary>
    public TimeSpan FollowKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}
