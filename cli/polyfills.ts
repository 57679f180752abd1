// Node 20 compatibility for the local CLI and the tests; a no-op on Node 22+ (the documented target).
const major = Number(process.versions.node.split(".")[0]);

// aws-local-stepfunctions 3 targets Node 22 and calls Promise.withResolvers, which Node 20 lacks.
// Installed before the interpreter is imported.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

// On Node 20 every SDK client prints a nine-line NodeVersionSupportWarning (SDK releases after January 2027
// need Node 22). It says nothing a local user can act on mid-command, so the CLI keeps it off its first
// screen; setting the variable to anything else yourself brings it back. Lambdas run on Node 24 and never
// see it.
if (major < 22) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
