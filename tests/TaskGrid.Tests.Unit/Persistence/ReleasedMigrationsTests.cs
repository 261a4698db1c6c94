using TaskGrid.Grains.Persistence;

namespace TaskGrid.Tests.Unit.Persistence;

/// <summary>
/// A migration that has landed never changes: a database that applied it will not apply it
/// again (the runner only logs a differing checksum), so an edit would reach new databases and
/// silently miss every existing one. Changes go into a new migration.
/// </summary>
public sealed class ReleasedMigrationsTests
{
    // SHA-256 of each landed migration's text. Add a new migration's line when it lands.
    private static readonly Dictionary<int, (string Name, string Checksum)> s_released = new()
    {
        [1] = ("0001_core", "575fcb12d3f799382d567b67aec8a432dbf20b2f7abb33e8cf51eaa012a1a7f7"),
        [2] = ("0002_users_and_keys", "4efce36a6fa596a4c938bffccb6a8c32928ed812bcd60ef07c8ba48b7aab014a"),
        [3] = ("0003_artifacts_and_logs", "9ac3d8507616abf6c609d715eb76481aef4c28c6d6706540717b706a56dbcfc0"),
        [4] = ("0004_observability", "f9361ec78a040aa57d363526fc1a2d979a8805f3aebfa17481ca7fd2f4a2cff5"),
        [5] = ("0005_time_and_rate", "69ba296902fa5ae32047af74d4e9d388d0546f77910a61427352974dde432a36"),
        [6] = ("0006_tasks_statistics", "d33736b6eecf8de2f36320a803da06de6e351b39bdb3916b625e9f0c31b177c2"),
        [7] = ("0007_claim_index_guard", "4f34253bd531d5e70500e8c2e5713b8d0808e599a7ecf844ff0950f30056a681"),
        [8] = ("0008_hot_path_transitions", "9b5a3bf7caaf925707d0232ef69620c24f04cd0d96093b6964fecda181a0a2a8"),
        [9] = ("0009_user_pending_counts", "877b904f1e8af146a96897399447478ba9bff5ce1c941da1f812d505d3ec6c3d"),
        [10] = ("0010_claim_generic_plan", "1756cef397791ec02d226956beca4ae0c27fcfeaf4d029c7e4c999f81bfa7e87"),
        [11] = ("0011_sharded_grid_counts", "7e71074d68b3f86bd80717b2fd5e58adb7486b76270157935b5ff8b359dd05b8"),
        [12] = ("0012_task_queue", "980fb2092c4f86e938e1daa9427c3450cf05a4b84130d595292146b56ac81c15"),
        [13] = ("0013_wakeups_and_submission", "c872b0f48d19b427c97490b3582a627c43f6c0b2848d1de528470394bc43e3a8"),
        [14] = ("0014_claim_locks_queue_rows", "c2a4dc15c841682732484e98a3f4311e4780f54f06e20583e299febbca3e88b4"),
        [15] = ("0015_submission_entry_from_columns", "f91f81c76f23bc7cf74b9255fbd50302738e0e6d4c8a1f3dde9153388d2e9498"),
        [16] = ("0016_room_for_claims", "95f0a0a40dead1d73ac3e0fb8412f3a5475eaa13e4c651fc0845b4084fdd8496"),
        [17] = ("0017_claim_leaves_task_rows", "28c6621528032edb348214e954e72cc76f91921d875dc9868789cc2b35b91a73"),
        [18] = ("0018_claim_for_previous_release", "d188e808084d1c098c5bd49cfdff9d27a1c6ea5de0f4c6c029cae39e47e54855"),
        [19] = ("0019_close_acknowledged_leases", "fa97d60aecafab20604ff31ec659bad376b5ac0b9bfb7f90e1c5766eb1cab6a2"),
    };

    [Fact]
    public void Landed_migrations_are_unchanged()
    {
        var embedded = MigrationRunner.Embedded.ToDictionary(m => m.Version);
        foreach (var (version, (name, checksum)) in s_released)
        {
            Assert.True(embedded.TryGetValue(version, out var migration), $"Migration {name} has landed and must stay.");
            Assert.True(migration.Name == name && migration.Checksum == checksum,
                $"Migration {name} has landed and was changed (now {migration.Name}, {migration.Checksum}). " +
                "Databases that applied it will never see the change: revert it and put the change in a new migration.");
        }
    }
}
