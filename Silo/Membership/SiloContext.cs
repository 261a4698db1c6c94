using Microsoft.Extensions.Options;
using TaskGrid.Grains.Cluster;

namespace TaskGrid.Silo.Membership;

/// <summary>This silo's identity (the incarnation changes when it rejoins) and whether it has joined.</summary>
public sealed class SiloContext(IOptions<SiloOptions> options)
{
    private SiloIdentity _identity = NewIdentity(options.Value.Name!);
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The silo's name and current incarnation.</summary>
    public SiloIdentity Identity => Volatile.Read(ref _identity);

    /// <summary>Completes once the silo is a member; workers wait for it before claiming.</summary>
    public Task Joined => _joined.Task;

    /// <summary>Whether the silo has joined and not been declared dead since.</summary>
    public bool IsMember { get; private set; }

    /// <summary>Whether the silo is shutting down: it claims nothing new and reports itself not ready.</summary>
    public bool IsDraining { get; private set; }

    /// <summary>Whether the silo takes work: a member that is not draining.</summary>
    public bool IsReady => IsMember && !IsDraining;

    internal void MarkJoined()
    {
        IsMember = true;
        _joined.TrySetResult();
    }

    internal void MarkLost() => IsMember = false;

    internal void MarkDraining() => IsDraining = true;

    /// <summary>A fresh incarnation under the same name, for rejoining after being declared dead.</summary>
    internal SiloIdentity Reincarnate()
    {
        var fresh = NewIdentity(Identity.Name);
        Volatile.Write(ref _identity, fresh);
        return fresh;
    }

    private static SiloIdentity NewIdentity(string name) =>
        new(name, Environment.MachineName, Environment.ProcessId, Guid.NewGuid());
}
