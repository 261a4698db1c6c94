using Npgsql;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Tasks;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Artifacts;

/// <summary>Script tasks that run uploaded artifacts: checked and locked when the tasks are added.</summary>
internal static class ArtifactReferences
{
    /// <summary>The artifact ids that <paramref name="requests"/> run, with the field that names each.</summary>
    public static List<(Guid Id, string Field)> Of(IReadOnlyList<SubmitTaskRequest> requests, Func<int, string> fieldOf)
    {
        var references = new List<(Guid, string)>();
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].ArtifactId is { } id && requests[i].Kind == TaskKinds.Script)
            {
                references.Add((id, fieldOf(i)));
            }
        }
        return references;
    }

    /// <summary>
    /// Locks the artifacts the new tasks run (a concurrent delete then waits and sees the tasks),
    /// and refuses any that is not an artifact of <paramref name="owner"/>, without saying
    /// whether it belongs to someone else.
    /// </summary>
    public static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string owner, IReadOnlyList<(Guid Id, string Field)> references, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(ArtifactQueries.ArtifactLockForTasks, connection, transaction)
            .With("ids", references.Select(r => r.Id).Distinct().ToArray()).WithOwner(owner);
        var found = new HashSet<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(reader.GetGuid(0));
            }
        }
        var errors = new ValidationErrors();
        foreach (var (id, field) in references.Where(r => !found.Contains(r.Id)).Distinct())
        {
            errors.Add(field, $"'{id}' is not an artifact of user '{owner}'; upload the script with POST /v1/artifacts and pass the id it answers.");
        }
        errors.ThrowIfAny();
    }
}
