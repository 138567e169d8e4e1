/** What a new user sees before any API traffic: where traffic comes from and where to look. */
export function EmptyState({ onOpenOptions }: { onOpenOptions: () => void }) {
  return (
    <div class="empty" data-testid="popup-empty">
      <p>
        No API traffic yet. Use your app (requests to <code>api.casola.ai</code>,{" "}
        <code>api.cuadra.ai</code> or hosts you add in Options); open DevTools → Ratelens to decode
        errors and see findings.
      </p>
      <button type="button" onClick={onOpenOptions}>
        Open Options
      </button>
    </div>
  );
}
