using TaskGrid.Access;

namespace TaskGrid.RateLimits;

/// <summary>One named cluster-wide rate limiter. Everyone may read it; only admins change it.</summary>
public interface IRateLimitGrain
{
    /// <summary>The limiter's name.</summary>
    string Name { get; }

    /// <summary>The limiter with its current use.</summary>
    Task<RateLimitView> GetAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the limiter (admins). True in <c>Created</c> when it is new.</summary>
    Task<(RateLimitView View, bool Created)> PutAsync(Caller caller, RateLimitRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes some of the limiter's settings (admins).</summary>
    Task<RateLimitView> UpdateAsync(Caller caller, RateLimitRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes the limiter (admins); what it limited runs unlimited.</summary>
    Task DeleteAsync(Caller caller, CancellationToken cancellationToken = default);
}
