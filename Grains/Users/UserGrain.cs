using Npgsql;
using NpgsqlTypes;
using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grains.Access;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Users;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Users;

/// <summary>One user and their keys.</summary>
internal sealed class UserGrain(string id, GrainServices services) : IUserGrain
{
    public string Id => id;

    public async Task<UserView> CreateAsync(Caller caller, CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        RequireAdmin(caller, "create users");
        var errors = new ValidationErrors();
        TextRules.Required(errors, "name", request.Name, 200);
        TextRules.InRange(errors, "max_pending_tasks", request.MaxPendingTasks, 1, 100_000_000);
        errors.ThrowIfAny();
        try
        {
            return await services.Turns.RunStatementAsync("user.create", async connection =>
            {
                await using var command = new NpgsqlCommand(UserQueries.UserInsert, connection)
                    .With("id", id).With("name", request.Name!.Trim())
                    .With("role", Roles.ToName(request.Role ?? CallerRole.User))
                    .WithNullable("max_pending_tasks", request.MaxPendingTasks, NpgsqlDbType.Integer)
                    .WithNow(services.Clock);
                return (await UserReader.ReadSingleAsync(command, UserReader.Read, cancellationToken))!;
            }, cancellationToken);
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            throw new StateConflictException($"User '{id}' already exists.");
        }
    }

    public Task<UserView> GetAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync("user.get", connection => SelectAsync(connection, null, caller, forUpdate: false, cancellationToken), cancellationToken);

    public async Task<UserView> UpdateAsync(Caller caller, UpdateUserRequest request, CancellationToken cancellationToken = default)
    {
        RequireAdmin(caller, "change users");
        var errors = new ValidationErrors();
        TextRules.Optional(errors, "name", request.Name, 200);
        if (request.Name is not null && string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add("name", "must not be blank.");
        }
        TextRules.InRange(errors, "max_pending_tasks", request.MaxPendingTasks, 0, 100_000_000);
        if (id == caller.UserId && (request.Disabled == true || request.Role == CallerRole.User))
        {
            errors.Add(request.Disabled == true ? "disabled" : "role", "an admin cannot disable or demote themself; ask another admin.");
        }
        errors.ThrowIfAny();
        var updated = await services.Turns.RunAsync("user.update", async (connection, transaction) =>
        {
            var user = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            await using var command = new NpgsqlCommand(UserQueries.UserUpdate, connection, transaction)
                .With("id", id).With("version", user.Version)
                .WithNullable("name", request.Name?.Trim(), NpgsqlDbType.Text)
                .WithNullable("role", request.Role is { } role ? Roles.ToName(role) : null, NpgsqlDbType.Text)
                .WithNullable("max_pending_tasks", request.MaxPendingTasks, NpgsqlDbType.Integer)
                .WithNullable("disabled", request.Disabled, NpgsqlDbType.Boolean)
                .WithNow(services.Clock);
            return (await UserReader.ReadSingleAsync(command, UserReader.Read, cancellationToken))!;
        }, cancellationToken);
        services.Authenticator.Forget();
        return updated;
    }

    public async Task<CreatedApiKey> CreateApiKeyAsync(Caller caller, CreateApiKeyRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        TextRules.Optional(errors, "name", request.Name, 200);
        errors.ThrowIfAny();
        var key = ApiKeySecrets.NewKey();
        var keyId = Guid.CreateVersion7();
        return await services.Turns.RunAsync("user.create-key", async (connection, transaction) =>
        {
            var user = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            if (user.Disabled)
            {
                throw new StateConflictException($"User '{id}' is disabled; enable them before creating keys.");
            }
            await using var command = new NpgsqlCommand(ApiKeyQueries.ApiKeyInsert, connection, transaction)
                .With("id", keyId).With("user_id", id)
                .WithNullable("name", request.Name?.Trim(), NpgsqlDbType.Text)
                .With("prefix", ApiKeySecrets.PrefixOf(key))
                .With("hash", ApiKeySecrets.Hash(key))
                .WithNow(services.Clock);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var createdAt = reader.GetFieldValue<DateTimeOffset>(0);
            return new CreatedApiKey(keyId, id, request.Name?.Trim(), ApiKeySecrets.PrefixOf(key), createdAt, key);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync<IReadOnlyList<ApiKeyView>>("user.list-keys", async connection =>
        {
            await SelectAsync(connection, null, caller, forUpdate: false, cancellationToken);
            await using var command = new NpgsqlCommand(ApiKeyQueries.ApiKeyListByUser, connection).WithOwner(id);
            return await UserReader.ReadAllAsync(command, UserReader.ReadKey, cancellationToken);
        }, cancellationToken);

    // A user sees only themself; anyone else's user is "not found", as for every other resource.
    private async Task<UserView> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Caller caller, bool forUpdate, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin && caller.UserId != id)
        {
            throw new ResourceNotFoundException("user", id);
        }
        await using var command = new NpgsqlCommand(forUpdate ? UserQueries.UserSelectForUpdate : UserQueries.UserSelect, connection, transaction).With("id", id);
        return await UserReader.ReadSingleAsync(command, UserReader.Read, cancellationToken) ?? throw new ResourceNotFoundException("user", id);
    }

    private static void RequireAdmin(Caller caller, string what)
    {
        if (!caller.IsAdmin)
        {
            throw new AccessDeniedException($"Only admins may {what}.");
        }
    }
}
