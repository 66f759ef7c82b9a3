// NoFollowFile: how the daemon, which runs as root, writes its own files without ever being led by
// a symbolic link to another one. Someone who can create names where the daemon writes (a shared
// statistics or log directory, a drift file directory with loose permissions) could otherwise plant
// `loopstats.20261123 -> /etc/shadow` and have root append to or replace the target.
// - Replacing a whole file (drift file, pid file): the content goes to a temporary name beside it,
//   created with open(O_CREAT|O_EXCL|O_NOFOLLOW|O_WRONLY|O_CLOEXEC, 0644) and fchmod 0644 (whatever
//   the umask), then written, fsync'ed and rename(2)d over the file. O_EXCL fails on any existing
//   name, a dangling or planted link included, and rename replaces a link at the final name rather
//   than following it. A temporary name already taken is removed only when it is a regular file
//   owned by the daemon's user (a leftover of a crash); anything else (a link, a directory, another
//   user's file) is left alone, reported, and a random name is tried instead (a few, then give up).
//   .NET's FileMode.CreateNew also opens with O_EXCL and so also refuses a link (a test checks it),
//   but it cannot fchmod or say whose a leftover is; hence the direct calls.
// - Appending (statistics files, the log file): open(O_WRONLY|O_APPEND|O_CREAT|O_NOFOLLOW|O_CLOEXEC,
//   0644). A link at the path is refused with "PATH is a symbolic link; not written".
// - The statistics link (`loopstats` -> the current generation): a new link is made under a random
//   temporary name and rename(2)d over the old one, so the name always exists; a name there that is
//   not a link (a regular file, say) is not replaced.
// Only the last component of a path is protected: the directories on the way are the administrator's.
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Files;

/// <summary>Writing the daemon's files without following symbolic links.</summary>
public static unsafe class NoFollowFile
{
    /// <summary>Permissions of every file the daemon creates: rw-r--r--.</summary>
    public const uint FileMode = 0x1A4; // 0644

    /// <summary>Random temporary names tried after the first (fixed) one was found taken.</summary>
    public const int RandomNameAttempts = 4;

    private const int MaxWriteAttempts = 16;

    /// <summary>The text a refused link is reported with.</summary>
    public static string SymbolicLinkRefusal(string path) => $"{path} is a symbolic link; not written";

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/> atomically through a temporary
    /// file named <paramref name="path"/> + <paramref name="temporarySuffix"/> (or a random variant).
    /// Returns null on success, else the failure: the strerror text when the temporary cannot be
    /// created ("Permission denied"), else a text naming the step and file; the old file is then untouched. <paramref name="notice"/> reports a temporary name that was taken by
    /// something the daemon will not remove (a symbolic link, another user's file), even on success.
    /// </summary>
    public static string? ReplaceAtomically(string path, ReadOnlySpan<byte> content, string temporarySuffix, out string? notice)
    {
        ArgumentNullException.ThrowIfNull(path);
        notice = null;
        string? temporary = null;
        int fd = -1;
        for (int attempt = 0; attempt <= RandomNameAttempts && fd < 0; attempt++)
        {
            string candidate = attempt == 0 ? path + temporarySuffix : path + temporarySuffix + "." + RandomHex();
            fd = CreateExclusive(candidate);
            if (fd >= 0)
            {
                temporary = candidate;
                break;
            }

            int errno = Libc.LastError;
            if (errno is not (FileCalls.EEXIST or FileCalls.ELOOP))
            {
                return Libc.ErrorText(errno);
            }

            bool exists = FileStatusCall.TryGet(candidate, out FileStatus status);
            if (exists && status.IsRegularFile && status.UserId == FileCalls.GetEffectiveUserId())
            {
                // A leftover of ours (a crash between create and rename): remove it and take the name.
                if (FileCalls.Unlink(candidate) == 0 && (fd = CreateExclusive(candidate)) >= 0)
                {
                    temporary = candidate;
                    break;
                }
            }

            notice ??= exists && status.IsSymbolicLink
                ? $"{candidate} is a symbolic link; not followed, another temporary name used"
                : $"{candidate} exists and is not a regular file of this user; left alone, another temporary name used";
        }

        if (fd < 0 || temporary is null)
        {
            return $"no usable temporary file name beside {path} ({notice})";
        }

        string? error = WriteAll(fd, content, temporary);
        if (FileCalls.Close(fd) != 0 && error is null)
        {
            error = $"{temporary}: {Libc.ErrorText(Libc.LastError)}";
        }

        if (error is null && FileCalls.Rename(temporary, path) != 0)
        {
            error = $"rename {temporary} to {path}: {Libc.ErrorText(Libc.LastError)}";
        }

        if (error is not null)
        {
            _ = FileCalls.Unlink(temporary);
            return error;
        }

        SyncDirectory(path);
        return null;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it (0644) when missing, never through a
    /// symbolic link. Null with the reason when refused: <see cref="FileOpenError.SymbolicLink"/> with
    /// "PATH is a symbolic link; not written", or <see cref="FileOpenError.System"/> with the strerror
    /// text ("Permission denied").
    /// </summary>
    public static FileStream? OpenAppend(string path, out FileOpenError error, out string? message)
    {
        ArgumentNullException.ThrowIfNull(path);
        int fd = FileCalls.Open(path, FileCalls.O_WRONLY | FileCalls.O_APPEND | FileCalls.O_CREAT | FileCalls.O_NOFOLLOW | FileCalls.O_CLOEXEC | FileCalls.O_NOCTTY, FileMode);
        if (fd < 0)
        {
            int errno = Libc.LastError;
            if (errno == FileCalls.ELOOP && FileStatusCall.TryGet(path, out FileStatus status) && status.IsSymbolicLink)
            {
                error = FileOpenError.SymbolicLink;
                message = SymbolicLinkRefusal(path);
                return null;
            }

            error = FileOpenError.System;
            message = Libc.ErrorText(errno);
            return null;
        }

        error = FileOpenError.None;
        message = null;
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 4096);
    }

    /// <summary>
    /// Points the symbolic link <paramref name="link"/> at <paramref name="target"/> (a name relative
    /// to the link's directory) without a moment in which <paramref name="link"/> is missing: a new
    /// link under a random temporary name, renamed over it. Null on success, else the reason; a name
    /// that exists and is not a symbolic link is left alone.
    /// </summary>
    public static string? ReplaceSymbolicLink(string link, string target)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(target);
        if (FileStatusCall.TryGet(link, out FileStatus current) && !current.IsSymbolicLink)
        {
            return $"{link} exists and is not a symbolic link; link not updated";
        }

        for (int attempt = 0; attempt < RandomNameAttempts; attempt++)
        {
            string temporary = link + ".TEMP" + RandomHex();
            if (FileCalls.Symlink(target, temporary) != 0)
            {
                int errno = Libc.LastError;
                if (errno == FileCalls.EEXIST)
                {
                    continue;
                }

                return $"cannot create link {temporary}: {Libc.ErrorText(errno)}";
            }

            if (FileCalls.Rename(temporary, link) != 0)
            {
                string error = $"rename {temporary} to {link}: {Libc.ErrorText(Libc.LastError)}";
                _ = FileCalls.Unlink(temporary);
                return error;
            }

            return null;
        }

        return $"cannot create a temporary link beside {link}: every name tried was taken";
    }

    private static int CreateExclusive(string path) =>
        FileCalls.Open(path, FileCalls.O_WRONLY | FileCalls.O_CREAT | FileCalls.O_EXCL | FileCalls.O_NOFOLLOW | FileCalls.O_CLOEXEC | FileCalls.O_NOCTTY, FileMode);

    private static string? WriteAll(int fd, ReadOnlySpan<byte> content, string path)
    {
        if (FileCalls.Fchmod(fd, FileMode) != 0)
        {
            return $"{path}: {Libc.ErrorText(Libc.LastError)}";
        }

        fixed (byte* start = content)
        {
            int written = 0;
            for (int attempt = 0; written < content.Length; attempt++)
            {
                nint result = FileCalls.Write(fd, start + written, (nuint)(content.Length - written));
                if (result < 0 && Libc.LastError == Libc.EINTR && attempt < MaxWriteAttempts)
                {
                    continue;
                }

                if (result <= 0 || attempt >= MaxWriteAttempts)
                {
                    return $"{path}: {(result < 0 ? Libc.ErrorText(Libc.LastError) : "short write")}";
                }

                written += (int)result;
            }
        }

        return FileCalls.Fsync(fd) != 0 ? $"{path}: {Libc.ErrorText(Libc.LastError)}" : null;
    }

    /// <summary>fsync of the directory, so the rename itself survives a power loss; best effort.</summary>
    private static void SyncDirectory(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        int fd = FileCalls.Open(directory, FileCalls.O_RDONLY | FileCalls.O_DIRECTORY | FileCalls.O_CLOEXEC, 0);
        if (fd >= 0)
        {
            _ = FileCalls.Fsync(fd);
            _ = FileCalls.Close(fd);
        }
    }

    private static string RandomHex()
    {
        uint value;
        if (RandomCalls.GetRandom(&value, sizeof(uint), 0) != sizeof(uint))
        {
            value = (uint)Random.Shared.Next();
        }

        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Convert.ToHexStringLower(bytes);
    }
}
