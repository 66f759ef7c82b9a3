// PrivilegeDrop: ntpd -u user[:group] and -i jaildir. The daemon starts as root, binds its sockets and
// opens its files, then calls Drop: chroot into the jail (when asked), setgroups to the one group,
// setresgid and setresuid (glibc carries both to every thread), and keeps on the calling thread — the
// event loop's, the only one that disciplines the clock — just the capabilities it still needs:
// CAP_SYS_TIME when it disciplines the system clock, none when it only observes or runs a virtual
// clock. No new privileges can be gained afterwards (PR_SET_NO_NEW_PRIVS), and the drop is checked by
// trying to become root again. Users and groups are looked up before the chroot, which hides them.
using System.Globalization;
using System.Runtime.InteropServices;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Hosting;

/// <summary>The account ntpd runs as after start-up (-u): resolved to numbers before any chroot.</summary>
/// <param name="Text">As given on the command line.</param>
/// <param name="UserName">The account name (null for a number without a passwd entry).</param>
/// <param name="UserId">The uid.</param>
/// <param name="GroupId">The gid: the given group, else the account's primary group.</param>
public sealed record RunAsAccount(string Text, string? UserName, uint UserId, uint GroupId);

/// <summary>What dropping root left: the account, the capabilities kept and those wanted but unavailable.</summary>
/// <param name="KeptCapabilities">Capability names kept (e.g. cap_sys_time).</param>
/// <param name="MissingCapabilities">Capabilities wanted but not held at start (a bounding set without them).</param>
public sealed record PrivilegeDropOutcome(IReadOnlyList<string> KeptCapabilities, IReadOnlyList<string> MissingCapabilities);

/// <summary>Why giving up root failed.</summary>
public sealed class PrivilegeDropException(string message) : Exception(message);

/// <summary>ntpd -u and -i: resolve the account, then chroot and give up root keeping only what is needed.</summary>
public static class PrivilegeDrop
{
    /// <summary>Parses and resolves <c>user[:group]</c> (names or numbers); null and an error text when
    /// the user or group does not exist.</summary>
    public static RunAsAccount? Resolve(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string userPart = colon < 0 ? text : text[..colon];
        string? groupPart = colon < 0 ? null : text[(colon + 1)..];
        if (userPart.Length == 0 || groupPart is { Length: 0 })
        {
            error = $"-u needs user[:group], not '{text}'";
            return null;
        }

        uint userId;
        uint? primaryGroup;
        string? userName;
        if (uint.TryParse(userPart, NumberStyles.None, CultureInfo.InvariantCulture, out uint number))
        {
            userId = number;
            (userName, primaryGroup) = LookUpUserById(number);
        }
        else if (LookUpUser(userPart) is { } entry)
        {
            (userName, userId, primaryGroup) = (userPart, entry.UserId, entry.GroupId);
        }
        else
        {
            error = $"-u: no such user '{userPart}'";
            return null;
        }

        uint groupId;
        if (groupPart is null)
        {
            if (primaryGroup is not uint primary)
            {
                error = $"-u: uid {userId} has no passwd entry, so no group: give -u {userId}:GROUP";
                return null;
            }

            groupId = primary;
        }
        else if (uint.TryParse(groupPart, NumberStyles.None, CultureInfo.InvariantCulture, out uint groupNumber))
        {
            groupId = groupNumber;
        }
        else if (LookUpGroup(groupPart) is uint named)
        {
            groupId = named;
        }
        else
        {
            error = $"-u: no such group '{groupPart}'";
            return null;
        }

        return new RunAsAccount(text, userName, userId, groupId);
    }

    /// <summary>Chroots into <paramref name="jailDirectory"/> (when not null), becomes <paramref name="account"/>
    /// and keeps CAP_SYS_TIME on this thread when <paramref name="keepClockCapability"/>. Call it on the
    /// thread that will discipline the clock, after every socket is bound and every file opened.</summary>
    /// <exception cref="PrivilegeDropException">A step failed; the process must not go on.</exception>
    public static unsafe PrivilegeDropOutcome Drop(RunAsAccount account, string? jailDirectory, bool keepClockCapability)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (jailDirectory is not null)
        {
            if (PrivilegeCalls.ChangeRoot(jailDirectory) != 0)
            {
                throw new PrivilegeDropException($"cannot chroot to {jailDirectory}: {Describe(Marshal.GetLastPInvokeError())}");
            }

            if (PrivilegeCalls.ChangeDirectory("/") != 0)
            {
                throw new PrivilegeDropException($"cannot chdir to / in {jailDirectory}: {Describe(Marshal.GetLastPInvokeError())}");
            }
        }

        // Permitted capabilities survive the uid change only with KEEPCAPS (this thread's flag).
        Check(PrivilegeCalls.Prctl(PrivilegeCalls.PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");
        uint group = account.GroupId;
        Check(PrivilegeCalls.SetGroups(1, &group), "setgroups");
        Check(PrivilegeCalls.SetResGid(group, group, group), $"setresgid({group})");
        Check(PrivilegeCalls.SetResUid(account.UserId, account.UserId, account.UserId), $"setresuid({account.UserId})");

        var header = new PrivilegeCalls.CapabilityHeader { Version = PrivilegeCalls.LinuxCapabilityVersion3 };
        PrivilegeCalls.CapabilityData* data = stackalloc PrivilegeCalls.CapabilityData[2];
        Check(PrivilegeCalls.CapGet(&header, data), "capget");
        ulong permitted = data[0].Permitted | ((ulong)data[1].Permitted << 32);
        ulong wanted = keepClockCapability ? 1UL << PrivilegeCalls.CAP_SYS_TIME : 0;
        ulong kept = wanted & permitted;
        header = new PrivilegeCalls.CapabilityHeader { Version = PrivilegeCalls.LinuxCapabilityVersion3 };
        data[0] = new PrivilegeCalls.CapabilityData { Effective = (uint)kept, Permitted = (uint)kept };
        data[1] = new PrivilegeCalls.CapabilityData { Effective = (uint)(kept >> 32), Permitted = (uint)(kept >> 32) };
        Check(PrivilegeCalls.CapSet(&header, data), "capset");
        Check(PrivilegeCalls.Prctl(PrivilegeCalls.PR_SET_KEEPCAPS, 0, 0, 0, 0), "prctl(PR_SET_KEEPCAPS, 0)");
        Check(PrivilegeCalls.Prctl(PrivilegeCalls.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)");

        // Root must be out of reach now (unless the account is root itself).
        if (account.UserId != 0 && PrivilegeCalls.SetResUid(0, 0, 0) == 0)
        {
            throw new PrivilegeDropException("could become root again after setresuid; stopping");
        }

        if (PrivilegeCalls.GetEffectiveUid() != account.UserId || PrivilegeCalls.GetEffectiveGid() != group)
        {
            throw new PrivilegeDropException($"still running as uid {PrivilegeCalls.GetEffectiveUid()} gid {PrivilegeCalls.GetEffectiveGid()}");
        }

        return new PrivilegeDropOutcome(Names(kept), Names(wanted & ~permitted));
    }

    /// <summary>True when the account we now run as may write to <paramref name="path"/> (access(2) W_OK).</summary>
    public static bool IsWritable(string path) => PrivilegeCalls.Access(path, PrivilegeCalls.W_OK) == 0;

    private static List<string> Names(ulong capabilities)
    {
        var names = new List<string>();
        if ((capabilities & (1UL << PrivilegeCalls.CAP_NET_BIND_SERVICE)) != 0)
        {
            names.Add("cap_net_bind_service");
        }

        if ((capabilities & (1UL << PrivilegeCalls.CAP_SYS_TIME)) != 0)
        {
            names.Add("cap_sys_time");
        }

        return names;
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new PrivilegeDropException($"{call} failed: {Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    private static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static unsafe (uint UserId, uint GroupId)? LookUpUser(string name)
    {
        (uint userId, uint groupId) = (0, 0);
        bool found = LookUp((buffer, length) =>
        {
            PrivilegeCalls.Passwd entry;
            PrivilegeCalls.Passwd* result = null;
            int status = PrivilegeCalls.GetPasswordEntryByName(name, &entry, (byte*)buffer, length, &result);
            if (status == 0 && result != null)
            {
                (userId, groupId) = (entry.UserId, entry.GroupId);
            }

            return status == 0 && result == null ? NotFound : status;
        });
        return found ? (userId, groupId) : null;
    }

    private static unsafe (string? Name, uint? GroupId) LookUpUserById(uint userId)
    {
        (string? name, uint groupId) = (null, 0);
        bool found = LookUp((buffer, length) =>
        {
            PrivilegeCalls.Passwd entry;
            PrivilegeCalls.Passwd* result = null;
            int status = PrivilegeCalls.GetPasswordEntryById(userId, &entry, (byte*)buffer, length, &result);
            if (status == 0 && result != null)
            {
                (name, groupId) = (Marshal.PtrToStringUTF8(entry.Name), entry.GroupId);
            }

            return status == 0 && result == null ? NotFound : status;
        });
        return found ? (name, groupId) : (null, null);
    }

    private static unsafe uint? LookUpGroup(string name)
    {
        uint groupId = 0;
        bool found = LookUp((buffer, length) =>
        {
            PrivilegeCalls.Group entry;
            PrivilegeCalls.Group* result = null;
            int status = PrivilegeCalls.GetGroupEntryByName(name, &entry, (byte*)buffer, length, &result);
            if (status == 0 && result != null)
            {
                groupId = entry.GroupId;
            }

            return status == 0 && result == null ? NotFound : status;
        });
        return found ? groupId : null;
    }

    // What a lookup returns when the database has no such entry (the *_r calls return 0 and a null result).
    private const int NotFound = -1;

    /// <summary>Runs a getpwnam_r-style <paramref name="lookup"/> (buffer, length → 0, ERANGE or an error)
    /// with a buffer that grows from 1 KiB while the call says ERANGE; true when it found the entry.</summary>
    private static unsafe bool LookUp(Func<nint, nuint, int> lookup)
    {
        for (int size = 1024; size <= 1 << 20; size *= 4)
        {
            byte[] buffer = new byte[size];
            int status;
            fixed (byte* bytes = buffer)
            {
                status = lookup((nint)bytes, (nuint)size);
            }

            if (status != PrivilegeCalls.ERANGE)
            {
                return status == 0;
            }
        }

        return false;
    }
}
