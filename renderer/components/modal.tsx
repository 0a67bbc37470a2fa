import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface ModalProps {
  title: ReactNode;
  /** `alertdialog` for warnings that must be read (the impostor card). */
  role?: 'dialog' | 'alertdialog';
  tone?: 'normal' | 'danger';
  /** Called on Escape; leave it out for a dialog only an explicit button may close. */
  onEscape?: () => void;
  /** Id of the element that describes the dialog (read out when it opens). */
  describedBy?: string;
  className?: string;
  children: ReactNode;
}

const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: focus moves in and is kept in (Tab wraps), everything behind is made inert so
 * neither the keyboard nor assistive technology can reach it, and focus returns where it was.
 */
export function Modal({ title, role = 'dialog', tone = 'normal', onEscape, describedBy, className, children }: ModalProps) {
  const titleId = useId();
  const host = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const madeInert: Element[] = [];
    for (const sibling of Array.from(document.body.children)) {
      if (sibling !== host.current && !sibling.hasAttribute('inert')) {
        sibling.setAttribute('inert', '');
        madeInert.push(sibling);
      }
    }
    // The marked control, else the dialog itself: its title is read out and a long dialog stays
    // scrolled to its top (focusing a Close button at the bottom would scroll past the content).
    (box.current?.querySelector<HTMLElement>('[data-autofocus]') ?? box.current)?.focus();
    return () => {
      for (const element of madeInert) element.removeAttribute('inert');
      before?.focus?.();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && onEscape) {
      event.stopPropagation();
      onEscape();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const items = Array.from(box.current.querySelectorAll<HTMLElement>(focusable));
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (event.shiftKey && (document.activeElement === first || document.activeElement === box.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="modal-backdrop" ref={host}>
      <div
        ref={box}
        className={`modal modal-${tone}${className ? ` ${className}` : ''}`}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
