export function DemoBanner({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <div role="status" className="bg-amber-400 px-4 py-2 text-center text-sm font-medium text-amber-950" data-testid="demo-banner">
      Demo identity provider — you are signing in against Tessera&apos;s built-in OAuth/OIDC server, not the real Google, Microsoft or GitHub.
      Any username works (alice, bob, admin); the password is ignored.
    </div>
  );
}
